/** The reference evaluator itself, checked against onnxruntime on lowered graphs: the numeric pass tests rest on it. */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { lowerGraph } from '../../src/onnx/lower.js';
import { encodeModel } from '../../src/onnx/write.js';
import type { IrGraph } from '../../src/ir/types.js';
import { evalGraph, relativeError } from './eval.js';
import { randomInputs, randomWeights, resolved } from './helpers.js';

async function runOrt(g: IrGraph, input: { shape: number[]; data: Float64Array }): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(lowerGraph(g, { producerVersion: 'test' })).model);
  try {
    const name = g.inputs[0]!.name;
    const out = await session.run({ [name]: new ort.Tensor('float32', Float32Array.from(input.data), input.shape) });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

const cases: Record<string, [string, 'A' | 'B' | 'C']> = {
  'conv (groups, stride, dilation, bias), bn, relu, sigmoid': [
    'network t { input image: f32[N, 4, 9, 9]; conv(6, k = 3, stride = 2, groups = 2, bias = true); bn(eps = 0.01); relu; conv(6, k = 3, dilation = 2); sigmoid }',
    'B',
  ],
  'pooling with padding and ceil mode': [
    'network t { input image: f32[N, 3, 9, 9]; maxpool3(stride = 2, pad = 1, ceil = true); avgpool3(stride = 2, pad = 1, ceil = true); avgpool2(stride = 1, pad = 1, count_include_pad = false) }',
    'B',
  ],
  'option A shortcut, gap, flatten, fc': [
    'network t { input image: f32[N, 3, 8, 8]; <conv3(8, stride = 2); bn> + shortcut; gap; flatten; fc(5) }',
    'A',
  ],
  'projection shortcut, dropout, identity': ['network t { input image: f32[N, 3, 7, 7]; dropout; <conv3(4, stride = 2); bn> + shortcut; identity }', 'B'],
};

describe('the reference evaluator', () => {
  it.each(Object.entries(cases))('agrees with onnxruntime: %s', async (_name, [text, policy]) => {
    const g = randomWeights(resolved(text, policy), 11);
    const inputs = randomInputs(g, 2, 3);
    const want = evalGraph(g, inputs, 2).values().next().value!;
    const got = await runOrt(g, inputs.get('image')!);
    expect(relativeError({ shape: want.shape, data: Float64Array.from(got) }, want)).toBeLessThan(1e-5);
  });
});
