/**
 * The memory plan's in-place rule: a step may write its output over an input only when no later
 * step reads that buffer (under any name: Reshape, Flatten and Identity share it). Each graph here
 * reads a value after an operation that would clobber it if the rule were broken: a squeeze-and-
 * excitation gate multiplying the block's input, a residual reading the input of an activation, a
 * view of a value activated in place, and the other operand of a fused residual. Run with both
 * kernel sets and thread counts, against plain JS references.
 */
import { afterAll, describe, it } from 'vitest';
import { dispose } from '../../../src/runtime/js/index.js';
import { attrs, expectClose, init, int64, model, node, randTensor, rng, runModel } from './helpers.js';

afterAll(() => dispose());

const r = rng(21);
const x = randTensor(r, [2, 8, 6, 6], 2);
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const relu = (v: number) => Math.max(0, v);
const plane = 36;

describe.each([['wasm', 1], ['js', 1], ['wasm', 2]] as const)('in-place writes (%s, %i thread(s))', (kernel, threads) => {
  it('a squeeze-and-excitation gate multiplies the unchanged input, which a residual then adds', () => {
    const w1 = randTensor(r, [4, 8, 1, 1]);
    const w2 = randTensor(r, [8, 4, 1, 1]);
    const nodes = [
      node('GlobalAveragePool', ['x'], ['p']), node('Conv', ['p', 'w1'], ['h']), node('Relu', ['h'], ['hr']),
      node('Conv', ['hr', 'w2'], ['g0']), node('Sigmoid', ['g0'], ['g']), node('Mul', ['x', 'g'], ['s']), node('Add', ['s', 'x'], ['y']),
    ];
    const got = runModel(model({ inputs: { x: x.dims }, outputs: ['y'], nodes, initializers: [init('w1', w1), init('w2', w2)] }), { x }, { kernel, threads })['y']!;
    const pooled = Array.from({ length: 16 }, (_, p) => x.data.slice(p * plane, (p + 1) * plane).reduce((a, b) => a + b, 0) / plane);
    const gate = Array.from({ length: 16 }, (_, p) => {
      const [n, c] = [Math.floor(p / 8), p % 8];
      const hidden = Array.from({ length: 4 }, (_, j) => relu(Array.from({ length: 8 }, (_, k) => w1.data[j * 8 + k]! * pooled[n * 8 + k]!).reduce((a, b) => a + b, 0)));
      return sig(hidden.reduce((s, hv, j) => s + w2.data[c * 4 + j]! * hv, 0));
    });
    expectClose(got, { dims: x.dims, data: x.data.map((v, i) => v * gate[Math.floor(i / plane)]! + v) }, 1e-5, 1e-5);
  });

  it('an activation does not overwrite an input that a later Add reads', () => {
    const nodes = [node('Sigmoid', ['x'], ['s']), node('HardSwish', ['s'], ['t']), node('Add', ['t', 'x'], ['y'])];
    const got = runModel(model({ inputs: { x: x.dims }, outputs: ['y'], nodes }), { x }, { kernel, threads })['y']!;
    const hs = (v: number) => v * Math.max(0, Math.min(1, v / 6 + 0.5));
    expectClose(got, { dims: x.dims, data: x.data.map((v) => hs(sig(v)) + v) }, 1e-5, 1e-6);
  });

  it('an activation of a view (Reshape, Flatten) leaves the viewed value unchanged', () => {
    const nodes = [
      node('Relu', ['x'], ['a']), node('Reshape', ['a', 'shape'], ['v']), node('Sigmoid', ['v'], ['s']),
      node('Flatten', ['a'], ['f']), node('Reshape', ['s', 'back'], ['sb']), node('Reshape', ['f', 'back'], ['fb']),
      node('Add', ['sb', 'fb'], ['y']),
    ];
    const m = model({ inputs: { x: x.dims }, outputs: ['y'], nodes, initializers: [int64('shape', [2, -1]), int64('back', x.dims)] });
    const got = runModel(m, { x }, { kernel, threads })['y']!;
    expectClose(got, { dims: x.dims, data: x.data.map((v) => sig(relu(v)) + relu(v)) }, 1e-5, 1e-6);
  });

  it('a conv with a fused residual leaves the residual unchanged for a later reader', () => {
    const w = randTensor(r, [8, 8, 3, 3], 0.2);
    const nodes = [
      node('Relu', ['x'], ['a']), node('Conv', ['a', 'w'], ['c'], attrs({ pads: [1, 1, 1, 1] })), node('Add', ['c', 'a'], ['sum']),
      node('Relu', ['sum'], ['b']), node('Mul', ['b', 'a'], ['y']),
    ];
    const got = runModel(model({ inputs: { x: x.dims }, outputs: ['y'], nodes, initializers: [init('w', w)] }), { x }, { kernel, threads })['y']!;
    const a = x.data.map(relu);
    const conv = new Float32Array(a.length);
    for (let n = 0; n < 2; n++) for (let o = 0; o < 8; o++) for (let yy = 0; yy < 6; yy++) for (let xx = 0; xx < 6; xx++) {
      let s = 0;
      for (let c = 0; c < 8; c++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
        const [iy, ix] = [yy + ky - 1, xx + kx - 1];
        if (iy >= 0 && iy < 6 && ix >= 0 && ix < 6) s += w.data[((o * 8 + c) * 3 + ky) * 3 + kx]! * a[((n * 8 + c) * 6 + iy) * 6 + ix]!;
      }
      conv[((n * 8 + o) * 6 + yy) * 6 + xx] = s;
    }
    expectClose(got, { dims: x.dims, data: a.map((v, i) => relu(conv[i]! + v) * v) }, 1e-4, 1e-5);
  });
});
