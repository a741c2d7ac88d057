/**
 * The executor against onnxruntime-node on small ResNets with random weights: same bytes (from
 * write.ts) into both, outputs compared. Covers the whole path of conv, batch norm (fused), relu,
 * max pool, residual add, global pool, flatten and gemm, at batch 2 and two widths.
 */
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, prepare, run } from '../../../src/runtime/js/index.js';
import { decodeModel } from '../../../src/onnx/read.js';
import { encodeModel } from '../../../src/onnx/write.js';
import { resnetModel, type ResNetSpec } from '../../../scripts/resnet-onnx.js';
import { randTensor, rng } from './helpers.js';
import { nodeExecutorHost } from '../../../src/node/executor-host.js';

afterAll(() => dispose());

const nets: [string, ResNetSpec, number][] = [
  ['basic blocks', { block: 'basic', layers: [1, 2], width: 8, classes: 10, seed: 3 }, 40],
  ['bottleneck blocks', { block: 'bottleneck', layers: [1, 1, 1], width: 4, classes: 7, seed: 4 }, 35],
];

describe.each(nets)('a ResNet of %s agrees with onnxruntime', (_, spec, size) => {
  const bytes = encodeModel(resnetModel(spec)).model;
  const x = randTensor(rng(5), [2, 3, size, size]);

  it.each([['js', 1], ['wasm', 1], ['wasm', 2]] as const)('with the %s kernel on %i thread(s)', async (kernel, threads) => {
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    const want = (await session.run({ input: new ort.Tensor('float32', x.data, x.dims) }))['output']!;
    const model = decodeModel(bytes);
    if (!model.ok) throw new Error(model.error.message);
    const plan = prepare(model.value, { kernel, threads, host: nodeExecutorHost });
    if (!plan.ok) throw new Error(plan.error.message);
    const got = run(plan.value, new Map([['input', x]])).get('output')!;
    expect(got.dims).toEqual([...want.dims]);
    const w = want.data as Float32Array;
    const scale = Math.max(...w.map(Math.abs));
    const worst = Math.max(...got.data.map((v, i) => Math.abs(v - w[i]!)));
    expect(worst / scale).toBeLessThan(1e-5);
  });
});
