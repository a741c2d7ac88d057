/**
 * Writes a torchvision-shaped ResNet with random weights as an .onnx file, for benchmarking the
 * executor before the compiler emits ResNets:
 *
 *   npx tsx scripts/make-resnet-onnx.ts resnet18|resnet50 OUT.onnx [--seed N]
 */
import { writeFileSync } from 'node:fs';
import { encodeModel } from '../src/onnx/write.js';
import { resnet18, resnet50, resnetModel } from './resnet-onnx.js';

const [arch, out, ...rest] = process.argv.slice(2);
const specs = { resnet18, resnet50 } as const;
if ((arch !== 'resnet18' && arch !== 'resnet50') || out === undefined) {
  console.error('usage: make-resnet-onnx.ts resnet18|resnet50 OUT.onnx [--seed N]');
  process.exit(2);
}
const seedAt = rest.indexOf('--seed');
const seed = seedAt >= 0 ? Number(rest[seedAt + 1]) : 1;
const model = resnetModel({ ...specs[arch], seed }, arch);
const encoded = encodeModel(model);
writeFileSync(out, encoded.model);
const params = model.initializers.reduce((s, t) => s + t.data.length, 0);
console.log(`${out}: ${arch}, ${model.nodes.length} nodes, ${params} parameters and buffers, ${encoded.model.length} bytes`);
