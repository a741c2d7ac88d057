/**
 * The PyTorch fixtures (scripts/torch/make_fixtures.py) are what they claim: each model's
 * weights hold exactly torchvision's state_dict keys and shapes (test/fixtures/reference/
 * state-dicts, num_batches_tracked left out), input and expected output have the model's shapes,
 * and onnxruntime-node running torch's own ONNX export on the input reproduces the expected
 * output, which proves the chain from PyTorch to the files the executor's tests compare against.
 */
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { expect, it } from 'vitest';
import { readSafetensors } from '../../src/io/safetensors.js';
import { describeWithTorch, exportedModels, npy, relativeError, torchFixture, torchModels } from '../helpers/torch-fixtures.js';

const stateDicts = new URL('../fixtures/reference/state-dicts/', import.meta.url).pathname;
/** Input side of each model (the size its published weights were evaluated at). */
const sizes = new Map<string, number>([['efficientnet_b3', 300], ['efficientnet_v2_s', 384]]);

/** `key<TAB>[d, ...]` lines of a reference list, without comments and num_batches_tracked. */
function referenceKeys(model: string): [string, number[]][] {
  return readFileSync(`${stateDicts}${model}.txt`, 'utf8').split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.includes('num_batches_tracked'))
    .map((l) => {
      const [key, shape] = l.split('\t') as [string, string];
      return [key, JSON.parse(shape) as number[]];
    });
}

describeWithTorch('PyTorch fixtures', () => {
  it.each(torchModels)('%s: weights, input and output are well-formed', (model) => {
    const f = torchFixture(model);
    const weights = readSafetensors(readFileSync(f.weights), f.weights);
    if (!weights.ok) throw new Error(weights.error.message);
    const found = [...weights.value].map(([k, t]): [string, number[]] => [k, t.shape]);
    if (model === 'resnet18') {
      // No key list for ResNet-18 in the reference data: its parameter count instead (zoo-numbers.tsv),
      // plus the two statistics of each of its 20 batch norms.
      const params = found.filter(([k]) => !k.endsWith('running_mean') && !k.endsWith('running_var'))
        .reduce((s, [, shape]) => s + shape.reduce((a, b) => a * b, 1), 0);
      expect(params).toBe(11_689_512);
      expect(found.filter(([k]) => k.endsWith('running_var'))).toHaveLength(20);
    } else {
      expect(found).toEqual(referenceKeys(model));
    }
    const size = sizes.get(model) ?? 224;
    const x = npy(f.input);
    const y = npy(f.expected);
    expect(x.dims).toEqual([2, 3, size, size]);
    expect(y.dims).toEqual([2, 1000]);
    expect(y.data.every(Number.isFinite)).toBe(true);
    // The output depends on the input: the two samples' logits differ by a good part of their scale.
    let [scale, apart] = [0, 0];
    for (let i = 0; i < 1000; i++) {
      scale = Math.max(scale, Math.abs(y.data[i]!), Math.abs(y.data[i + 1000]!));
      apart = Math.max(apart, Math.abs(y.data[i]! - y.data[i + 1000]!));
    }
    expect(apart / scale).toBeGreaterThan(0.1);
    const manifest = JSON.parse(readFileSync(`${f.dir}/manifest.json`, 'utf8')) as { model: string; input_shape: number[] };
    expect(manifest.model).toBe(model);
    expect(manifest.input_shape).toEqual(x.dims);
  });

  it.each(exportedModels)('%s: onnxruntime-node on torch.onnx reproduces PyTorch', async (model) => {
    const f = torchFixture(model as (typeof torchModels)[number]);
    const x = npy(f.input);
    const want = npy(f.expected);
    const session = await ort.InferenceSession.create(f.onnx!, { intraOpNumThreads: 1 });
    try {
      const out = await session.run({ input: new ort.Tensor('float32', x.data, x.dims) });
      const got = out['logits']!;
      expect(relativeError({ dims: got.dims.map(Number), data: got.data as Float32Array }, want)).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });
});
