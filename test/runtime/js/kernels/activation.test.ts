/**
 * The activation functions against float64 references: erf (whose float formula is our own) on a
 * dense grid, GELU, SiLU, hard-swish and hard-sigmoid, and Clip with bounds given as constants, as
 * run-time scalars, crossed (min > max gives max) and absent.
 */
import { describe, expect, it } from 'vitest';
import { erf } from '../../../../src/runtime/js/activation.js';
import { attrs, expectClose, init, node, randTensor, rng, runModel, runNode, model } from '../helpers.js';

/** erf in float64 by its Maclaurin series (exact to about 1e-11 on [-4, 4]); beyond, +-1 is within 1.6e-8. */
function erf64(x: number): number {
  if (Math.abs(x) >= 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const grid = Float32Array.from({ length: 4001 }, (_, i) => -10 + i * 0.005);

describe('erf', () => {
  it('is within 2e-7 of float64 erf on [-10, 10]', () => {
    let worst = 0;
    for (const x of grid) worst = Math.max(worst, Math.abs(erf(x) - erf64(x)));
    expect(worst).toBeLessThan(2e-7);
  });
});

describe.each([['js'], ['wasm']] as const)('activation nodes with the %s kernels', (kernel) => {
  const x = { dims: [grid.length], data: grid };
  // GELU's absolute error is |x| / 2 times erf's, which near erf = -1 is a few float32 ulps of 1.
  const cases: [string, Record<string, number>, (v: number) => number, number?][] = [
    ['Erf', {}, erf64],
    ['Gelu', {}, (v) => 0.5 * v * (1 + erf64(v / Math.SQRT2)), 1.5e-6],
    ['Sigmoid', {}, (v) => 1 / (1 + Math.exp(-v))],
    ['HardSwish', {}, (v) => v * Math.max(0, Math.min(1, v / 6 + 0.5))],
    ['HardSigmoid', { alpha: 0.25, beta: 0.4 }, (v) => Math.max(0, Math.min(1, 0.25 * v + 0.4))],
    ['Relu', {}, (v) => Math.max(0, v)],
    ['Tanh', {}, Math.tanh],
  ];
  for (const [op, a, f, atol] of cases) {
    it(`${op} agrees with float64`, () => {
      const got = runNode(node(op, ['x'], ['y'], attrs(a)), { x }, [], op === 'Gelu' ? 20 : 17, { kernel });
      expectClose(got, { dims: x.dims, data: grid.map(f) }, 2e-6, atol ?? 2e-7);
    });
  }
});

describe('Clip', () => {
  const x = randTensor(rng(4), [3, 5], 8);
  const clip = (lo: number, hi: number) => x.data.map((v) => Math.min(Math.max(v, lo), hi));
  it('takes constant bounds (relu6)', () => {
    const got = runNode(node('Clip', ['x', 'lo', 'hi'], ['y']), { x }, [init('lo', { dims: [], data: Float32Array.of(0) }), init('hi', { dims: [], data: Float32Array.of(6) })]);
    expectClose(got, { dims: x.dims, data: clip(0, 6) });
  });
  it('takes bounds computed at run time, and gives max where min > max', () => {
    const m = model({ inputs: { x: [3, 5], lo: [], hi: [] }, outputs: ['y'], nodes: [node('Clip', ['x', 'lo', 'hi'], ['y'])] });
    const scalar = (v: number) => ({ dims: [], data: Float32Array.of(v) });
    expectClose(runModel(m, { x, lo: scalar(-1), hi: scalar(2) })['y']!, { dims: x.dims, data: clip(-1, 2) });
    expectClose(runModel(m, { x, lo: scalar(3), hi: scalar(1) })['y']!, { dims: x.dims, data: x.data.map(() => 1) });
  });
  it('leaves out absent bounds, and reads attributes before opset 11', () => {
    expectClose(runNode(node('Clip', ['x', '', 'hi'], ['y']), { x }, [init('hi', { dims: [], data: Float32Array.of(1) })]), { dims: x.dims, data: clip(-Infinity, 1) });
    expectClose(runNode(node('Clip', ['x'], ['y'], attrs({ min: -0.5 })), { x }, [], 6), { dims: x.dims, data: clip(-0.5, Infinity) });
  });
});
