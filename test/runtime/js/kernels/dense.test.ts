import { describe, it } from 'vitest';
import type { Tensor } from '../../../../src/runtime/js/index.js';
import { attrs, expectClose, init, node, randTensor, rng, runNode } from '../helpers.js';

/** out[i][j] = sum_k A(i,k) B(k,j) with A, B given by element functions. */
function mm(m: number, k: number, n: number, a: (i: number, p: number) => number, b: (p: number, j: number) => number): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a(i, p) * b(p, j);
    out[i * n + j] = s;
  }
  return out;
}

describe('Gemm', () => {
  const r = rng(21);
  for (const [transA, transB] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
    it(`transA ${transA}, transB ${transB}, alpha, beta and a broadcast C`, () => {
      const [m, k, n] = [3, 5, 4];
      const a = randTensor(r, transA ? [k, m] : [m, k]);
      const b = randTensor(r, transB ? [n, k] : [k, n]);
      const c = randTensor(r, [n]);
      const prod = mm(m, k, n, (i, p) => a.data[transA ? p * m + i : i * k + p]!, (p, j) => b.data[transB ? j * k + p : p * n + j]!);
      const want = prod.map((v, i) => 0.5 * v + 1.5 * c.data[i % n]!);
      const g = node('Gemm', ['a', 'b', 'c'], ['y'], attrs({ transA, transB, alpha: 0.5, beta: 1.5 }));
      expectClose(runNode(g, { a }, [init('b', b), init('c', c)]), { dims: [m, n], data: want });
    });
  }

  it('handles a batch of one and a C of any broadcastable shape with constant weights', () => {
    const [k, n] = [37, 19];
    const b = randTensor(r, [n, k]);
    for (const [m, cDims] of [[1, [1, n]], [1, []], [4, [4, n]], [4, [4, 1]]] as const) {
      const a = randTensor(r, [m, k]);
      const c = randTensor(r, [...cDims]);
      const prod = mm(m, k, n, (i, p) => a.data[i * k + p]!, (p, j) => b.data[j * k + p]!);
      const at = (i: number, j: number) => c.data[cDims.length === 0 ? 0 : cDims[1] === 1 ? i : cDims[0] === 1 ? j : i * n + j]!;
      const want = prod.map((v, idx) => v + 0.5 * at(Math.floor(idx / n), idx % n));
      const g = node('Gemm', ['a', 'b', 'c'], ['y'], attrs({ transB: 1, beta: 0.5 }));
      expectClose(runNode(g, { a }, [init('b', b), init('c', c)]), { dims: [m, n], data: want });
    }
  });

  it('works without C', () => {
    const a = randTensor(r, [2, 3]);
    const b = randTensor(r, [3, 2]);
    expectClose(runNode(node('Gemm', ['a', 'b'], ['y']), { a, b }), { dims: [2, 2], data: mm(2, 3, 2, (i, p) => a.data[i * 3 + p]!, (p, j) => b.data[p * 2 + j]!) });
  });
});

describe('MatMul', () => {
  const r = rng(22);
  const cases: [number[], number[], number[]][] = [
    [[3, 4], [4, 5], [3, 5]], [[2, 3, 4], [4, 5], [2, 3, 5]], [[2, 1, 3, 4], [3, 4, 2], [2, 3, 3, 2]],
    [[4], [4, 3], [3]], [[2, 3, 4], [4], [2, 3]],
  ];
  for (const [da, db, dy] of cases) {
    it(`multiplies [${da}] by [${db}]`, () => {
      const a = randTensor(r, da);
      const b = randTensor(r, db);
      const want = matmulRef(a, b);
      expectClose(runNode(node('MatMul', ['a', 'b'], ['y']), { a, b }), { dims: dy, data: want });
    });
  }
});

/** Batched product with broadcasting of the leading dimensions, by explicit index mapping. */
function matmulRef(a: Tensor, b: Tensor): Float32Array {
  const ad = a.dims.length === 1 ? [1, a.dims[0]!] : a.dims;
  const bd = b.dims.length === 1 ? [b.dims[0]!, 1] : b.dims;
  const [m, k, n] = [ad[ad.length - 2]!, ad[ad.length - 1]!, bd[bd.length - 1]!];
  const rank = Math.max(ad.length, bd.length) - 2;
  const ba = [...new Array<number>(rank - (ad.length - 2)).fill(1), ...ad.slice(0, -2)];
  const bb = [...new Array<number>(rank - (bd.length - 2)).fill(1), ...bd.slice(0, -2)];
  const batch = ba.map((x, i) => Math.max(x, bb[i]!));
  const count = batch.reduce((s, d) => s * d, 1);
  const out: number[] = [];
  for (let t = 0; t < count; t++) {
    let rem = t;
    let ia = 0;
    let ib = 0;
    for (let d = rank - 1, sa = 1, sb = 1; d >= 0; d--) {
      const idx = rem % batch[d]!;
      rem = Math.floor(rem / batch[d]!);
      if (ba[d] !== 1) ia += idx * sa;
      if (bb[d] !== 1) ib += idx * sb;
      sa *= ba[d]!;
      sb *= bb[d]!;
    }
    out.push(...mm(m, k, n, (i, p) => a.data[ia * m * k + i * k + p]!, (p, j) => b.data[ib * k * n + p * n + j]!));
  }
  return Float32Array.from(out);
}
