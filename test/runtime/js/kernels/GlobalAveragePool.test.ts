import { expect, it } from 'vitest';
import { expectClose, node, randTensor, rng, runNode } from '../helpers.js';

it('GlobalAveragePool averages each plane', () => {
  const x = randTensor(rng(3), [3, 5, 4, 6]);
  const want = new Float32Array(15);
  for (let p = 0; p < 15; p++) {
    let s = 0;
    for (let i = 0; i < 24; i++) s += x.data[p * 24 + i]!;
    want[p] = s / 24;
  }
  const got = runNode(node('GlobalAveragePool', ['x'], ['y']), { x });
  expect(got.dims).toEqual([3, 5, 1, 1]);
  expectClose(got, { dims: [3, 5, 1, 1], data: want });
});
