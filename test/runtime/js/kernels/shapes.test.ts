/**
 * Shape arithmetic in int64 at run time: the flatten of older PyTorch exports,
 * x.view(x.size(0), -1) = Shape, Gather, Unsqueeze, Concat with [-1], Reshape, on a symbolic batch;
 * and Transpose, Squeeze, Unsqueeze and Gather on float data.
 */
import { describe, expect, it } from 'vitest';
import { attrs, expectClose, int64, model, node, randTensor, rng, runModel, runNode } from '../helpers.js';

const r = rng(12);

it('Shape, Gather, Unsqueeze, Concat and Reshape flatten a batch of any size', () => {
  const m = model({
    inputs: { x: ['N', 2, 3, 4] },
    outputs: ['y', 's'],
    nodes: [
      node('Shape', ['x'], ['s']), node('Gather', ['s', 'zero'], ['n'], attrs({ axis: 0 })),
      node('Unsqueeze', ['n', 'axes'], ['n1']), node('Concat', ['n1', 'minus1'], ['target'], attrs({ axis: 0 })),
      node('Reshape', ['x', 'target'], ['y']),
    ],
    initializers: [{ name: 'zero', dims: [], dataType: 'int64', data: BigInt64Array.of(0n) }, int64('axes', [0]), int64('minus1', [-1])],
  });
  for (const n of [1, 3]) {
    const x = randTensor(r, [n, 2, 3, 4]);
    const out = runModel(m, { x });
    expectClose(out['y']!, { dims: [n, 24], data: x.data });
    expect([...out['s']!.data]).toEqual([n, 2, 3, 4]);
  }
});

describe('Transpose', () => {
  it('to channels-last and back is the identity, and matches index arithmetic', () => {
    const x = randTensor(r, [2, 3, 4, 5]);
    const t = runNode(node('Transpose', ['x'], ['y'], attrs({ perm: [0, 2, 3, 1] })), { x });
    expect(t.dims).toEqual([2, 4, 5, 3]);
    for (const [n, c, h, w] of [[0, 0, 0, 0], [1, 2, 3, 4], [1, 1, 2, 0]] as const) {
      expect(t.data[((n * 4 + h) * 5 + w) * 3 + c]).toBe(x.data[((n * 3 + c) * 4 + h) * 5 + w]);
    }
    expectClose(runNode(node('Transpose', ['t'], ['y'], attrs({ perm: [0, 3, 1, 2] })), { t }), x);
  });
});

it('Gather with negative indices, Squeeze and Unsqueeze with axes as inputs', () => {
  const x = randTensor(r, [4, 3]);
  const g = runNode(node('Gather', ['x', 'i'], ['y'], attrs({ axis: 0 })), { x }, [int64('i', [-1, 0])]);
  expectClose(g, { dims: [2, 3], data: Float32Array.from([...x.data.slice(9, 12), ...x.data.slice(0, 3)]) });
  const u = runNode(node('Unsqueeze', ['x', 'a'], ['y']), { x }, [int64('a', [0, -1])]);
  expect(u.dims).toEqual([1, 4, 3, 1]);
  const s = runNode(node('Squeeze', ['u', 'a'], ['y']), { u }, [int64('a', [3])]);
  expect(s.dims).toEqual([1, 4, 3]);
});
