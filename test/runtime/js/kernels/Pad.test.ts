import { describe, it } from 'vitest';
import type { Tensor } from '../../../../src/runtime/js/index.js';
import { attrs, expectClose, init, int64, node, randTensor, rng, runNode } from '../helpers.js';

/** numpy.pad on a 2-d array, with cropping for negative pads. */
function padRef(x: Tensor, pads: number[], mode: string, value: number): Tensor {
  const [h, w] = x.dims as [number, number];
  const oh = h + pads[0]! + pads[2]!;
  const ow = w + pads[1]! + pads[3]!;
  const src = (i: number, n: number): number => {
    if (i >= 0 && i < n) return i;
    if (mode === 'constant') return -1;
    if (mode === 'edge') return i < 0 ? 0 : n - 1;
    let j = i;
    while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
    return j;
  };
  const out = new Float32Array(oh * ow);
  for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    const sy = src(y - pads[0]!, h);
    const sx = src(xx - pads[1]!, w);
    out[y * ow + xx] = sy < 0 || sx < 0 ? value : x.data[sy * w + sx]!;
  }
  return { dims: [oh, ow], data: out };
}

describe('Pad', () => {
  const r = rng(41);
  for (const mode of ['constant', 'reflect', 'edge']) {
    for (const pads of [[1, 2, 3, 0], [0, 4, 1, 1], [-1, 2, 1, -2]]) {
      it(`${mode} mode, pads [${pads}]`, () => {
        const x = randTensor(r, [4, 5]);
        const want = padRef(x, pads, mode, mode === 'constant' ? 0.75 : 0);
        const n = node('Pad', ['x', 'p', 'v'], ['y'], attrs({ mode }));
        expectClose(runNode(n, { x }, [int64('p', pads), init('v', { dims: [], data: Float32Array.of(0.75) })]), want);
      });
    }
  }

  it('takes a constant value fed at run time', () => {
    const x = randTensor(r, [2, 3]);
    const v = { dims: [], data: Float32Array.of(-3) };
    expectClose(runNode(node('Pad', ['x', 'p', 'v'], ['y']), { x, v }, [int64('p', [1, 0, 0, 1])]), padRef(x, [1, 0, 0, 1], 'constant', -3));
  });

  it('reads pads and value attributes before opset 11', () => {
    const x = randTensor(r, [3, 3]);
    const n = node('Pad', ['x'], ['y'], { ...attrs({ pads: [0, 1, 2, 0], mode: 'constant' }), value: { type: 'float', value: 2.5 } });
    expectClose(runNode(n, { x }, [], 10), padRef(x, [0, 1, 2, 0], 'constant', 2.5));
  });
});
