import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../../src/runtime/js/index.js';
import { attrs, expectClose, node, randInt, randTensor, rng, runNode } from '../helpers.js';

interface PoolOpts {
  kernel: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
  ceil: boolean;
  max: boolean;
  includePad: boolean;
}

/** Naive 2-d pooling: every window position checked against the input and the padded input. */
function poolRef(x: Tensor, o: PoolOpts): Tensor {
  const [n, c, h, w] = x.dims as [number, number, number, number];
  const size = (len: number, i: number) => {
    const span = (o.kernel[i]! - 1) * o.dilations[i]! + 1;
    const room = len + o.pads[i]! + o.pads[i + 2]! - span;
    let out = (o.ceil ? Math.ceil(room / o.strides[i]!) : Math.floor(room / o.strides[i]!)) + 1;
    if (o.ceil && (out - 1) * o.strides[i]! >= len + o.pads[i]!) out--;
    return out;
  };
  const [oh, ow] = [size(h, 0), size(w, 1)];
  const out = new Float32Array(n * c * oh * ow);
  let at = 0;
  for (let p = 0; p < n * c; p++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++) {
        let m = -Infinity;
        let s = 0;
        let inside = 0;
        let padded = 0;
        for (let ky = 0; ky < o.kernel[0]!; ky++)
          for (let kx = 0; kx < o.kernel[1]!; kx++) {
            const iy = y * o.strides[0]! - o.pads[0]! + ky * o.dilations[0]!;
            const ix = xx * o.strides[1]! - o.pads[1]! + kx * o.dilations[1]!;
            if (iy >= -o.pads[0]! && iy < h + o.pads[2]! && ix >= -o.pads[1]! && ix < w + o.pads[3]!) padded++;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            const v = x.data[(p * h + iy) * w + ix]!;
            m = Math.max(m, v);
            s += v;
            inside++;
          }
        out[at++] = o.max ? m : s / (o.includePad ? padded : inside);
      }
  return { dims: [n, c, oh, ow], data: out };
}

function randomOpts(r: () => number, max: boolean): PoolOpts {
  const kernel = [randInt(r, 1, 4), randInt(r, 1, 4)];
  return {
    kernel, strides: [randInt(r, 1, 3), randInt(r, 1, 3)], max, ceil: r() < 0.5, includePad: r() < 0.5,
    dilations: max ? [randInt(r, 1, 2), randInt(r, 1, 2)] : [1, 1],
    pads: [0, 1, 2, 3].map((i) => randInt(r, 0, kernel[i % 2]! - 1)),
  };
}

describe.each([['MaxPool', true], ['AveragePool', false]] as const)('%s', (op, max) => {
  const r = rng(max ? 11 : 12);
  for (let i = 0; i < 10; i++) {
    it(`matches naive loops: case ${i}`, () => {
      const o = randomOpts(r, max);
      const x = randTensor(r, [randInt(r, 1, 3), randInt(r, 1, 4), randInt(r, 6, 13), randInt(r, 6, 13)]);
      const a = attrs({ kernel_shape: o.kernel, strides: o.strides, pads: o.pads, ceil_mode: o.ceil ? 1 : 0 });
      if (max) Object.assign(a, attrs({ dilations: o.dilations }));
      else Object.assign(a, attrs({ count_include_pad: o.includePad ? 1 : 0 }));
      expectClose(runNode(node(op, ['x'], ['y'], a), { x }), poolRef(x, o));
    });
  }

  it('pools 1-d inputs', () => {
    const x = randTensor(r, [2, 3, 11]);
    const o: PoolOpts = { kernel: [1, 3], strides: [1, 2], pads: [0, 1, 0, 1], dilations: [1, 1], ceil: false, max, includePad: false };
    const want = poolRef({ dims: [2, 3, 1, 11], data: x.data }, o);
    const got = runNode(node(op, ['x'], ['y'], attrs({ kernel_shape: [3], strides: [2], pads: [1, 1] })), { x });
    expectClose(got, { dims: [2, 3, want.dims[3]!], data: want.data });
  });

  it('pads with SAME_LOWER as the begin-heavy split', () => {
    const x = randTensor(r, [1, 2, 6, 7]);
    const o: PoolOpts = { kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0], dilations: [1, 1], ceil: false, max, includePad: false };
    expectClose(runNode(node(op, ['x'], ['y'], attrs({ kernel_shape: [2, 2], auto_pad: 'SAME_LOWER' })), { x }), poolRef(x, o));
  });
});

describe.each([['wasm', 1], ['js', 1], ['wasm', 2]] as const)('MaxPool windows with SIMD kernels (%s, %i thread(s))', (kernel, threads) => {
  const r = rng(13);
  const shapes: [number, number, number[], boolean][] = [[3, 2, [1, 1, 1, 1], false], [3, 2, [1, 1, 1, 1], true], [2, 2, [0, 0, 0, 0], false], [3, 1, [1, 1, 1, 1], false], [3, 2, [0, 0, 1, 1], true]];
  for (const [k, s, pads, ceil] of shapes) {
    it(`${k}x${k} stride ${s} pads [${pads}]${ceil ? ' ceil' : ''}, with NaNs, rows long and short`, () => {
      for (const [h, w] of [[112, 112], [7, 9], [3, 2]]) {
        const x = randTensor(r, [2, 5, h, w]);
        x.data[0] = NaN;
        x.data[17] = NaN;
        const o: PoolOpts = { kernel: [k, k], strides: [s, s], pads, dilations: [1, 1], ceil, max: true, includePad: false };
        const a = attrs({ kernel_shape: [k, k], strides: [s, s], pads, ceil_mode: ceil ? 1 : 0 });
        const [got, want] = [runNode(node('MaxPool', ['x'], ['y'], a), { x }, [], 17, { kernel, threads }), poolRef(x, o)];
        // NaN where the reference has NaN (a window over the NaN), then equal elsewhere.
        expect([...got.data].map(Number.isNaN)).toEqual([...want.data].map(Number.isNaN));
        const clean = (t: Tensor) => ({ dims: t.dims, data: t.data.map((v) => (Number.isNaN(v) ? 0 : v)) });
        expect(want.data.some(Number.isNaN)).toBe(true);
        expectClose(clean(got), clean(want));
      }
    });
  }
});
