import { expect, it } from 'vitest';
import { expectClose, node, randTensor, rng, runNode } from '../helpers.js';

it('Relu zeroes negatives', () => {
  const x = randTensor(rng(1), [2, 3, 4]);
  expectClose(runNode(node('Relu', ['x'], ['y']), { x }), { dims: x.dims, data: x.data.map((v) => Math.max(0, v)) });
});

it('Sigmoid stays finite for large inputs', () => {
  const x = { dims: [6], data: Float32Array.from([-1000, -5, 0, 0.5, 5, 1000]) };
  const got = runNode(node('Sigmoid', ['x'], ['y']), { x });
  expectClose(got, { dims: [6], data: x.data.map((v) => 1 / (1 + Math.exp(-v))) }, 1e-6, 1e-7);
  expect([...got.data].every(Number.isFinite)).toBe(true);
});
