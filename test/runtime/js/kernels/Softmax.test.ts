import { describe, it } from 'vitest';
import { attrs, expectClose, node, randTensor, rng, runNode } from '../helpers.js';

/** Softmax over groups of `len` elements `stride` apart, groups enumerated by (outer, inner). */
function softmaxRef(data: Float32Array, outer: number, len: number, inner: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const idx = (t: number) => (o * len + t) * inner + i;
    let max = -Infinity;
    for (let t = 0; t < len; t++) max = Math.max(max, data[idx(t)]!);
    let sum = 0;
    for (let t = 0; t < len; t++) sum += Math.exp(data[idx(t)]! - max);
    for (let t = 0; t < len; t++) out[idx(t)] = Math.exp(data[idx(t)]! - max) / sum;
  }
  return out;
}

describe('Softmax', () => {
  const r = rng(51);
  const x = randTensor(r, [2, 3, 4], 10);
  it('normalises along one axis from opset 13', () => {
    expectClose(runNode(node('Softmax', ['x'], ['y'], attrs({ axis: 1 })), { x }, [], 13), { dims: x.dims, data: softmaxRef(x.data, 2, 3, 4) });
    expectClose(runNode(node('Softmax', ['x'], ['y']), { x }, [], 13), { dims: x.dims, data: softmaxRef(x.data, 6, 4, 1) });
  });
  it('normalises the flattened trailing axes before opset 13', () => {
    expectClose(runNode(node('Softmax', ['x'], ['y'], attrs({ axis: 1 })), { x }, [], 11), { dims: x.dims, data: softmaxRef(x.data, 2, 12, 1) });
    expectClose(runNode(node('Softmax', ['x'], ['y']), { x }, [], 11), { dims: x.dims, data: softmaxRef(x.data, 2, 12, 1) });
  });
});
