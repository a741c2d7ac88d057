/**
 * Channels-last regions (rewrite/channels-last.ts) against onnxruntime-node on the same bytes: a
 * ConvNeXt block as our lowering writes it (linear layers as MatMul(x, Transpose(W)) + Add(b),
 * GELU in its erf form, layer scale, residual), a LayerNorm over channels between two transposes,
 * and regions that cannot be rewritten (a value inside read by a graph output, an op without an
 * NCHW form), which must still run correctly, through the generic kernels.
 */
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { OnnxModel, OnnxNode, OnnxTensor } from '../../../src/onnx/model.js';
import { decodeModel } from '../../../src/onnx/read.js';
import { encodeModel } from '../../../src/onnx/write.js';
import { dispose, prepare, run, type Tensor } from '../../../src/runtime/js/index.js';
import { nodeExecutorHost } from '../../../src/node/executor-host.js';
import { attrs, expectClose, init, model, node, randTensor, rng } from './helpers.js';

afterAll(() => dispose());

const C = 8;
const r = rng(40);
const scalar = (name: string, v: number): OnnxTensor => init(name, { dims: [], data: Float32Array.of(v) });

function block(extra: OnnxNode[] = [], outputs = ['y']): OnnxModel {
  const nodes = [
    node('Conv', ['x', 'dw', 'dwb'], ['d'], attrs({ group: C, pads: [3, 3, 3, 3], kernel_shape: [7, 7] })),
    node('Transpose', ['d'], ['t'], attrs({ perm: [0, 2, 3, 1] })),
    node('LayerNormalization', ['t', 'g', 'b'], ['n'], attrs({ axis: -1, epsilon: 1e-6 })),
    node('Transpose', ['w1'], ['w1t'], attrs({ perm: [1, 0] })), node('MatMul', ['n', 'w1t'], ['h0']), node('Add', ['h0', 'b1'], ['h']),
    node('Div', ['h', 'sqrt2'], ['hd']), node('Erf', ['hd'], ['he']), node('Add', ['he', 'one'], ['h1']), node('Mul', ['h', 'h1'], ['h2']), node('Mul', ['h2', 'half'], ['g1']),
    node('Transpose', ['w2'], ['w2t'], attrs({ perm: [1, 0] })), node('MatMul', ['g1', 'w2t'], ['o0']), node('Add', ['o0', 'b2'], ['o']),
    node('Transpose', ['o'], ['back'], attrs({ perm: [0, 3, 1, 2] })), node('Mul', ['back', 'scale'], ['s']), node('Add', ['s', 'x'], ['y']),
    ...extra,
  ];
  const initializers = [
    init('dw', randTensor(r, [C, 1, 7, 7], 0.3)), init('dwb', randTensor(r, [C])), init('g', { dims: [C], data: randTensor(r, [C]).data.map((v) => 1 + v / 2) }),
    init('b', randTensor(r, [C], 0.1)), init('w1', randTensor(r, [4 * C, C], 0.4)), init('b1', randTensor(r, [4 * C], 0.1)),
    init('w2', randTensor(r, [C, 4 * C], 0.3)), init('b2', randTensor(r, [C], 0.1)), init('scale', { dims: [C, 1, 1], data: randTensor(r, [C]).data.map((v) => 1 + v / 2) }),
    scalar('sqrt2', Math.SQRT2), scalar('one', 1), scalar('half', 0.5),
  ];
  return model({ inputs: { x: ['N', C, 9, 11] }, outputs, nodes, initializers });
}

async function ortRun(bytes: Uint8Array, x: Tensor, outputs: string[]): Promise<Tensor[]> {
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  const out = await s.run({ x: new ort.Tensor('float32', x.data, x.dims) });
  await s.release();
  return outputs.map((o) => ({ dims: out[o]!.dims.map(Number), data: out[o]!.data as Float32Array }));
}

async function compare(m: OnnxModel, outputs: string[], expectedOps: (ops: string[]) => void): Promise<void> {
  const bytes = encodeModel(m).model;
  const x = randTensor(r, [2, C, 9, 11], 2);
  const want = await ortRun(bytes, x, outputs);
  const decoded = decodeModel(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  for (const [kernel, threads] of [['wasm', 1], ['js', 1], ['wasm', 2]] as const) {
    const p = prepare(decoded.value, { kernel, threads, host: nodeExecutorHost });
    if (!p.ok) throw new Error(p.error.message);
    expectedOps(p.value.steps.map((s) => /\((\w+)\)$/.exec(s.label)![1]!));
    const got = run(p.value, new Map([['x', x]]));
    outputs.forEach((o, i) => expectClose(got.get(o) as Tensor, want[i]!, 1e-4, 1e-5));
    await dispose(p.value);
  }
}

describe('channels-last regions', () => {
  it('a ConvNeXt block runs as four steps: depthwise conv, channel norm, two 1x1 convs with every elementwise op fused', async () => {
    await compare(block(), ['y'], (ops) => expect(ops).toEqual(['Conv', 'LayerNormalization', 'Conv', 'Conv']));
  });

  it('a LayerNorm over channels between transposes runs without them', async () => {
    const m = model({
      inputs: { x: ['N', C, 9, 11] }, outputs: ['y'],
      nodes: [node('Transpose', ['x'], ['t'], attrs({ perm: [0, 2, 3, 1] })), node('LayerNormalization', ['t', 'g'], ['n'], attrs({ epsilon: 1e-5 })), node('Transpose', ['n'], ['y'], attrs({ perm: [0, 3, 1, 2] }))],
      initializers: [init('g', randTensor(r, [C]))],
    });
    await compare(m, ['y'], (ops) => expect(ops).toEqual(['LayerNormalization', 'Identity']));
  });

  it('is left alone when a value inside is a graph output, and still agrees', async () => {
    await compare(block([], ['y', 'h']), ['y', 'h'], (ops) => expect(ops).toContain('Transpose'));
  });

  it('is left alone when an op inside has no NCHW form, and still agrees', async () => {
    const m = block();
    const i = m.nodes.findIndex((n) => n.opType === 'Erf');
    m.nodes[i] = node('Softmax', ['hd'], ['he'], attrs({ axis: -1 }));
    await compare(m, ['y'], (ops) => expect(ops).toContain('MatMul'));
  });
});
