/**
 * Depthwise convolutions (one group per input channel) against a naive convolution: the SIMD
 * kernels of every kernel size and stride they cover (3, 5, 7; 1, 2), rows shorter than a vector,
 * not a multiple of it and long enough for the 16-wide loop, asymmetric padding, a channel
 * multiplier, the JS fallback for dilation, a 1-d conv; on the plain JS kernels, and on two
 * threads (bit-identical to one); and with a batch norm and activations fused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose } from '../../../../src/runtime/js/index.js';
import { convRef } from '../conv-ref.js';
import { attrs, expectClose, init, model, node, randTensor, rng, runModel } from '../helpers.js';

afterAll(() => dispose());

interface Case {
  c: number;
  mult: number;
  h: number;
  w: number;
  k: number;
  s: number;
  pads: [number, number, number, number];
  d: number;
}

const cases: Case[] = [];
for (const k of [3, 5, 7]) {
  for (const s of [1, 2]) {
    const p = (k - 1) / 2;
    cases.push({ c: 3, mult: 1, h: 9, w: 37, k, s, pads: [p, p, p, p], d: 1 });
    cases.push({ c: 2, mult: 1, h: k, w: k, k, s, pads: [p, p, p, p], d: 1 });
    cases.push({ c: 2, mult: 2, h: 6, w: 8, k, s, pads: [p, 0, p + 1, 1], d: 1 });
  }
}
cases.push({ c: 4, mult: 1, h: 12, w: 13, k: 3, s: 1, pads: [2, 2, 2, 2], d: 2 });
cases.push({ c: 3, mult: 1, h: 10, w: 11, k: 3, s: 3, pads: [1, 1, 1, 1], d: 1 });

function runCase(cs: Case, seed: number, kernel: 'js' | 'wasm', threads: 1 | 2) {
  const r = rng(seed);
  const x = randTensor(r, [2, cs.c, cs.h, cs.w]);
  const w = randTensor(r, [cs.c * cs.mult, 1, cs.k, cs.k]);
  const b = randTensor(r, [cs.c * cs.mult]);
  const opts = { strides: [cs.s, cs.s], pads: cs.pads, dilations: [cs.d, cs.d], group: cs.c };
  const n = node('Conv', ['x', 'w', 'b'], ['y'], attrs(opts));
  const m = model({ inputs: { x: x.dims }, outputs: ['y'], nodes: [n], initializers: [init('w', w), init('b', b)] });
  return { got: runModel(m, { x }, { kernel, threads })['y']!, want: convRef(x, w, b.data, opts) };
}

describe.each([['wasm', 1], ['js', 1], ['wasm', 2]] as const)('depthwise Conv with the %s kernels on %i thread(s)', (kernel, threads) => {
  // Two threads on every third case: each plan starts a worker.
  cases.forEach((cs, i) => {
    if (threads === 2 && i % 3 !== 0) return;
    it(`${cs.k}x${cs.k} stride ${cs.s} dilation ${cs.d}, ${cs.c}x${cs.mult} channels of ${cs.h}x${cs.w}, pads [${cs.pads}]`, () => {
      const { got, want } = runCase(cs, 100 + i, kernel, threads);
      expectClose(got, want, 1e-5, 1e-5);
    });
  });
});

it('gives bit-identical results on one and two threads, for planes enough to share', () => {
  const cs: Case = { c: 64, mult: 1, h: 56, w: 56, k: 3, s: 1, pads: [1, 1, 1, 1], d: 1 };
  const one = runCase(cs, 7, 'wasm', 1).got;
  const two = runCase(cs, 7, 'wasm', 2).got;
  expect(Buffer.from(two.data.buffer).equals(Buffer.from(one.data.buffer))).toBe(true);
});

it('runs a 1-d depthwise conv', () => {
  const r = rng(3);
  const x = randTensor(r, [1, 3, 20]);
  const w = randTensor(r, [3, 1, 5]);
  const got = runModel(model({ inputs: { x: x.dims }, outputs: ['y'], nodes: [node('Conv', ['x', 'w'], ['y'], attrs({ group: 3, pads: [2, 2] }))], initializers: [init('w', w)] }), { x })['y']!;
  const want = convRef({ dims: [1, 3, 1, 20], data: x.data }, { dims: [3, 1, 1, 5], data: w.data }, undefined, { strides: [1, 1], pads: [0, 2, 0, 2], dilations: [1, 1], group: 3 });
  expectClose(got, { dims: [1, 3, 20], data: want.data }, 1e-5, 1e-5);
});

describe('fused into a depthwise Conv', () => {
  const r = rng(11);
  const x = randTensor(r, [1, 8, 15, 15], 3);
  const w = randTensor(r, [8, 1, 3, 3]);
  const scale = randTensor(r, [8]);
  const shift = randTensor(r, [8]);
  const mean = randTensor(r, [8]);
  const variance = { dims: [8], data: randTensor(r, [8]).data.map((v) => 1 + Math.abs(v)) };
  const conv = convRef(x, w, undefined, { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 8 });
  const bn = conv.data.map((v, i) => {
    const ch = Math.floor(i / 225) % 8;
    return (v - mean.data[ch]!) / Math.sqrt(variance.data[ch]! + 1e-3) * scale.data[ch]! + shift.data[ch]!;
  });
  const inits = [init('w', w), init('s', scale), init('t', shift), init('m', mean), init('v', variance), init('six', { dims: [], data: Float32Array.of(6) }), init('zero', { dims: [], data: Float32Array.of(0) })];
  const head = [node('Conv', ['x', 'w'], ['c'], attrs({ group: 8, pads: [1, 1, 1, 1] })), node('BatchNormalization', ['c', 's', 't', 'm', 'v'], ['b'], attrs({ epsilon: 1e-3 }))];
  it('a batch norm and relu6 (Clip)', () => {
    const m = model({ inputs: { x: x.dims }, outputs: ['y'], nodes: [...head, node('Clip', ['b', 'zero', 'six'], ['y'])], initializers: inits });
    expectClose(runModel(m, { x })['y']!, { dims: conv.dims, data: bn.map((v) => Math.min(6, Math.max(0, v))) }, 1e-5, 1e-5);
  });
  it('a batch norm and SiLU written as b * Sigmoid(b)', () => {
    const m = model({ inputs: { x: x.dims }, outputs: ['y'], nodes: [...head, node('Sigmoid', ['b'], ['g']), node('Mul', ['g', 'b'], ['y'])], initializers: inits });
    expectClose(runModel(m, { x })['y']!, { dims: conv.dims, data: bn.map((v) => v / (1 + Math.exp(-v))) }, 1e-5, 1e-5);
  });
});
