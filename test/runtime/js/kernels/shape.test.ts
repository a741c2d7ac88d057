import { describe, expect, it } from 'vitest';
import { prepare, run } from '../../../../src/runtime/js/index.js';
import { attrs, expectClose, int64, model, node, randTensor, rng, runModel, runNode } from '../helpers.js';

const r = rng(31);

describe('Flatten', () => {
  for (const [axis, dims] of [[0, [1, 120]], [1, [2, 60]], [2, [6, 20]], [4, [120, 1]], [-1, [24, 5]], [-4, [1, 120]]] as const) {
    it(`axis ${axis} gives [${dims}]`, () => {
      const x = randTensor(r, [2, 3, 4, 5]);
      expectClose(runNode(node('Flatten', ['x'], ['y'], attrs({ axis })), { x }), { dims: [...dims], data: x.data });
    });
  }
});

describe('Reshape', () => {
  const cases: [number[], number[], number[], number][] = [
    [[2, 3, 4], [4, -1], [4, 6], 0], [[2, 3, 4], [0, 0, 2, 2], [2, 3, 2, 2], 0], [[2, 3, 4], [-1], [24], 0],
    [[0, 3, 4], [3, 4, 0], [3, 4, 0], 1], [[2, 3, 4], [0, -1], [2, 12], 0],
  ];
  for (const [from, shape, to, allowzero] of cases) {
    it(`[${from}] by [${shape}]${allowzero ? ' with allowzero' : ''} gives [${to}]`, () => {
      const x = randTensor(r, from);
      const n = node('Reshape', ['x', 's'], ['y'], attrs({ allowzero }));
      expectClose(runNode(n, { x }, [int64('s', shape)]), { dims: to, data: x.data });
    });
  }

  it('reads the shape attribute before opset 5', () => {
    const x = randTensor(r, [2, 6]);
    expectClose(runNode(node('Reshape', ['x'], ['y'], attrs({ shape: [3, 4] })), { x }, [], 4), { dims: [3, 4], data: x.data });
  });

  it('needs an int64 shape', () => {
    const p = prepare(model({ inputs: { x: [2, 6], s: [2] }, outputs: ['y'], nodes: [node('Reshape', ['x', 's'], ['y'], {}, 'rs')] }));
    if (!p.ok) throw new Error(p.error.message);
    expect(() => run(p.value, new Map([['x', randTensor(r, [2, 6])], ['s', randTensor(r, [2])]]))).toThrow("node 'rs' (Reshape): input 1 is float32, expected int64");
  });
});

it('Identity and inference Dropout pass the input through; the mask is all ones', () => {
  const x = randTensor(r, [3, 4]);
  const nodes = [node('Identity', ['x'], ['i']), node('Dropout', ['i', 'ratio'], ['y', 'mask'])];
  const out = runModel(model({ inputs: { x: [3, 4], ratio: [] }, outputs: ['y', 'mask'], nodes }), { x, ratio: { dims: [], data: Float32Array.of(0.5) } });
  expectClose(out['y']!, x);
  expectClose(out['mask']!, { dims: [3, 4], data: new Float32Array(12).fill(1) });
});

it('Concat joins along an axis, negative axes included', () => {
  const a = randTensor(r, [2, 3, 2]);
  const b = randTensor(r, [2, 1, 2]);
  const want: number[] = [];
  for (let i = 0; i < 2; i++) want.push(...a.data.subarray(i * 6, i * 6 + 6), ...b.data.subarray(i * 2, i * 2 + 2));
  for (const axis of [1, -2]) {
    expectClose(runNode(node('Concat', ['a', 'b'], ['y'], attrs({ axis })), { a, b }), { dims: [2, 4, 2], data: Float32Array.from(want) });
  }
});

it('Constant values are folded, tensors and opset-12 scalars alike', () => {
  const t = { name: '', dims: [2], dataType: 'float32' as const, data: Float32Array.of(1.5, -2) };
  const nodes = [
    node('Constant', [], ['c1'], attrs({ value: t })),
    node('Constant', [], ['c2'], { value_floats: { type: 'floats', value: [10, 20] } }),
    node('Constant', [], ['shape'], { value_ints: { type: 'ints', value: [2, 1] } }),
    node('Add', ['c1', 'c2'], ['s']),
    node('Reshape', ['s', 'shape'], ['y']),
  ];
  const out = runModel(model({ inputs: {}, outputs: ['y'], nodes }), {});
  expectClose(out['y']!, { dims: [2, 1], data: Float32Array.of(11.5, 18) });
});
