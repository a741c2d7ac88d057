import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../../src/runtime/js/index.js';
import { RunError } from '../../../../src/runtime/js/index.js';
import { attrs, expectClose, model, node, randTensor, rng, runModel, runNode } from '../helpers.js';

/** NumPy broadcasting by index arithmetic on every output element. */
function broadcastRef(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pad = (d: number[]) => [...new Array<number>(rank - d.length).fill(1), ...d];
  const [da, db] = [pad(a.dims), pad(b.dims)];
  const dims = da.map((x, i) => Math.max(x, db[i]!));
  const total = dims.reduce((s, d) => s * d, 1);
  const out = new Float32Array(total);
  for (let i = 0; i < total; i++) {
    let rem = i;
    let ia = 0;
    let ib = 0;
    for (let d = 0, sa = 1, sb = 1; d < rank; d++) {
      const axis = rank - 1 - d;
      const idx = rem % dims[axis]!;
      rem = Math.floor(rem / dims[axis]!);
      if (da[axis] !== 1) ia += idx * sa;
      if (db[axis] !== 1) ib += idx * sb;
      sa *= da[axis]!;
      sb *= db[axis]!;
    }
    out[i] = f(a.data[ia]!, b.data[ib]!);
  }
  return { dims, data: out };
}

describe.each([['Add', (x: number, y: number) => x + y], ['Mul', (x: number, y: number) => x * y]] as const)('%s', (op, f) => {
  const r = rng(op.length);
  const shapes: [number[], number[]][] = [
    [[2, 3, 4, 5], [2, 3, 4, 5]], [[2, 3, 4, 5], [1, 3, 1, 1]], [[2, 3, 4, 5], [5]], [[4, 1], [3]],
    [[1, 3, 1, 5], [2, 1, 4, 1]], [[3, 4], []], [[], [2, 2]], [[2, 1, 3], [2, 3, 1]],
  ];
  for (const [sa, sb] of shapes) {
    it(`broadcasts [${sa}] with [${sb}]`, () => {
      const a = randTensor(r, sa);
      const b = randTensor(r, sb);
      expectClose(runNode(node(op, ['a', 'b'], ['y']), { a, b }), broadcastRef(a, b, f));
    });
  }

  it('aligns the second operand at axis with the legacy broadcast attribute', () => {
    const a = randTensor(r, [2, 3, 4, 5]);
    const b = randTensor(r, [3, 4]);
    const want = broadcastRef(a, { dims: [3, 4, 1], data: b.data }, f);
    expectClose(runNode(node(op, ['a', 'b'], ['y'], attrs({ broadcast: 1, axis: 1 })), { a, b }, [], 6), want);
  });

  it('rejects shapes that do not broadcast at run time', () => {
    const m = model({ inputs: { a: [2, 3], b: [4] }, outputs: ['y'], nodes: [node(op, ['a', 'b'], ['y'])] });
    expect(() => runModel(m, { a: randTensor(r, [2, 3]), b: randTensor(r, [4]) })).toThrow(RunError);
  });
});

it('Add works in place on a value read for the last time without disturbing other readers', () => {
  const r = rng(99);
  const x = randTensor(r, [3, 4]);
  const nodes = [node('Relu', ['x'], ['a']), node('Add', ['a', 'a'], ['b']), node('Mul', ['b', 'a'], ['y'])];
  const got = runModel(model({ inputs: { x: [3, 4] }, outputs: ['y', 'b'], nodes }), { x });
  const a = x.data.map((v) => Math.max(0, v));
  expectClose(got['y']!, { dims: [3, 4], data: a.map((v) => 2 * v * v) });
  expectClose(got['b']!, { dims: [3, 4], data: a.map((v) => 2 * v) });
});
