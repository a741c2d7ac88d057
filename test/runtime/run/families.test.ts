/**
 * The modern CNN families from their .resdsl examples (once they exist in examples/), with
 * torchvision's weights (the PyTorch fixtures): `resdsl run --runtime js` from the source, fused
 * and unfused, equals PyTorch within 1e-4 x max(1, scale); the compiled ONNX file equals it too,
 * in the JS executor and in onnxruntime-node. A family whose example is not written yet is listed
 * as skipped, with the file it waits for.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { dispose } from '../../../src/runtime/js/index.js';
import { describeWithTorch, npy, relativeError, torchFixture, torchModels } from '../../helpers/torch-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-families-'));
afterAll(async () => {
  await dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await main(argv, { out: () => {}, err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  return { code, err };
}

/** The example defining network `name`: examples/NAME.resdsl, or a file with `network NAME`. */
function exampleOf(name: string): { file: string; args: string[] } | undefined {
  const own = `examples/${name}.resdsl`;
  for (const f of fs.readdirSync('examples').filter((e) => e.endsWith('.resdsl')).map((e) => path.join('examples', e))) {
    if (new RegExp(`^\\s*network\\s+${name}\\b`, 'm').test(fs.readFileSync(f, 'utf8'))) return { file: f, args: ['-n', name] };
  }
  return fs.existsSync(own) ? { file: own, args: [] } : undefined;
}

describeWithTorch('the modern families from their .resdsl examples, with torchvision weights', () => {
  for (const model of torchModels.filter((m) => m !== 'resnet18')) {
    const example = exampleOf(model);
    if (example === undefined) {
      it.skip(`${model}: waits for examples/${model}.resdsl`, () => {});
      continue;
    }
    const run = async (source: string, args: string[], out: string) => {
      const f = torchFixture(model);
      const r = await cli('run', source, ...args, '--input', f.input, '-o', out);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      return relativeError(npy(out), npy(f.expected));
    };
    for (const fuse of [true, false]) {
      it(`${model} (${fuse ? 'fused' : 'unfused'}) from ${example.file} equals PyTorch`, async () => {
        const args = [...example.args, '--weights', torchFixture(model).weights, '--runtime', 'js', ...(fuse ? [] : ['--no-fuse'])];
        expect(await run(example.file, args, path.join(tmp, `${model}-${fuse}.npy`))).toBeLessThan(1e-4);
      });
    }
    it(`${model} compiled to ONNX equals PyTorch in the JS executor and in onnxruntime-node`, async () => {
      const onnx = path.join(tmp, `${model}.onnx`);
      const c = await cli('compile', example.file, ...example.args, '--weights', torchFixture(model).weights, '-o', onnx);
      expect(c.err).toMatch(/^wrote /);
      for (const runtime of ['js', 'ort']) {
        expect(await run(onnx, ['--runtime', runtime], path.join(tmp, `${model}-${runtime}.npy`))).toBeLessThan(1e-4);
      }
    });
  }
});
