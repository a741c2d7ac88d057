/**
 * The engine's elementwise and per-plane kernels (WebAssembly SIMD and plain JS) against scalar
 * references: every activation on lengths that are and are not multiples of 4, in place and not;
 * binary operations of equal shapes, per channel ([N,C,1,1], [C,1,1]), per last axis ([C]),
 * scalars, and operands swapped; plane means; with sizes large enough to be cut into chunks whose
 * ends fall inside rows, on one and two threads (bit-identical).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Act, scalarOf, type ActOp } from '../../../src/runtime/js/activation.js';
import { dispose } from '../../../src/runtime/js/index.js';
import { asFloat, expectClose, model, node, randTensor, rng, runModel } from './helpers.js';
import type { Tensor } from '../../../src/runtime/js/index.js';
import { prepare, run } from '../../../src/runtime/js/index.js';
import { wasmSimdAvailable } from '../../../src/runtime/js/wasm/kernel.js';
import { nodeExecutorHost } from '../../../src/node/executor-host.js';


afterAll(() => dispose());

it('has the WebAssembly kernels on this runtime (else every wasm test would quietly run the JS ones)', () => {
  expect(wasmSimdAvailable()).toBe(true);
  const p = prepare(model({ inputs: { x: [1] }, outputs: ['y'], nodes: [node('Relu', ['x'], ['y'])] }));
  expect(p.ok && p.value.options.kernel).toBe('wasm');
});

const engines = [['wasm', 1], ['js', 1], ['wasm', 2]] as const;

describe.each(engines)('vector kernels (%s, %i thread(s))', (kernel, threads) => {
  const acts: [string, ActOp, Record<string, number>][] = [
    ['Relu', Act.relu, {}], ['Sigmoid', Act.sigmoid, {}], ['HardSwish', Act.hardSwish, {}], ['Erf', Act.erf, {}],
    ['HardSigmoid', Act.hardSigmoid, { alpha: 0.3, beta: 0.45 }],
  ];
  for (const n of [1, 3, 4, 7, 33, 70_001]) {
    it(`activations on ${n} values`, () => {
      const x = randTensor(rng(n), [n], 6);
      const nodes = acts.map(([op, , a]) => node(op, ['x'], [op], Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { type: 'float' as const, value: v }]))));
      const got = runModel(model({ inputs: { x: [n] }, outputs: acts.map(([op]) => op), nodes }), { x }, { kernel, threads });
      for (const [op, code, a] of acts) {
        const f = scalarOf({ op: code, a: a['alpha'] ?? 0, b: a['beta'] ?? 0 });
        expectClose(got[op]!, { dims: [n], data: x.data.map(f) }, 1e-5, 1e-6);
      }
    });
  }

  const shapes: [string, number[], number[]][] = [
    ['equal shapes', [2, 3, 50, 70], [2, 3, 50, 70]],
    ['one value per image and channel', [2, 24, 37, 41], [2, 24, 1, 1]],
    ['one value per channel', [3, 40, 30, 30], [40, 1, 1]],
    ['one value per last axis', [2, 35, 33, 96], [96]],
    ['a scalar', [4, 5, 60, 61], []],
    ['small shapes', [2, 3], [2, 1]],
  ];
  for (const [what, da, db] of shapes) {
    it(`Add, Sub, Mul, Div with ${what}, both operand orders`, () => {
      const r = rng(da.length * 7 + db.length);
      const a = randTensor(r, da);
      const b = { dims: db, data: randTensor(r, db).data.map((v) => v + 2) };
      const bAt = (i: number) => {
        // index of b for flat index i of a (broadcast from the right)
        const idx: number[] = [];
        let rest = i;
        for (let d = da.length - 1; d >= 0; d--) { idx.unshift(rest % da[d]!); rest = Math.floor(rest / da[d]!); }
        const bi = idx.slice(da.length - db.length).map((v, k) => (db[k] === 1 ? 0 : v));
        return bi.reduce((acc, v, k) => acc * db[k]! + v, 0);
      };
      const ops: [string, (x: number, y: number) => number][] = [['Add', (x, y) => x + y], ['Sub', (x, y) => x - y], ['Mul', (x, y) => x * y], ['Div', (x, y) => x / y]];
      const variants = ops.flatMap(([op, f]) => [false, true].map((swap) => ({ op, f, swap, out: `${op}${swap ? '_swapped' : ''}` })));
      const nodes = variants.map((v) => node(v.op, v.swap ? ['b', 'a'] : ['a', 'b'], [v.out]));
      const got = runModel(model({ inputs: { a: da, b: db }, outputs: variants.map((v) => v.out), nodes }), { a, b }, { kernel, threads });
      for (const { f, swap, out } of variants) {
        const want = a.data.map((v, i) => (swap ? f(b.data[bAt(i)]!, v) : f(v, b.data[bAt(i)]!)));
        expectClose(got[out]!, { dims: da, data: want }, 1e-6, 1e-6);
      }
    });
  }

  it('GlobalAveragePool', () => {
    const x = randTensor(rng(9), [2, 33, 17, 13]);
    const want = new Float32Array(66).map((_, p) => x.data.slice(p * 221, (p + 1) * 221).reduce((s, v) => s + v, 0) / 221);
    expectClose(runModel(model({ inputs: { x: x.dims }, outputs: ['y'], nodes: [node('GlobalAveragePool', ['x'], ['y'])] }), { x }, { kernel, threads })['y']!, { dims: [2, 33, 1, 1], data: want }, 1e-5, 1e-6);
  });
});

it('one and two threads give bit-identical elementwise results', () => {
  const x = randTensor(rng(5), [3, 64, 56, 56], 4);
  const g = randTensor(rng(6), [3, 64, 1, 1]);
  const nodes = [node('Sigmoid', ['x'], ['s']), node('Mul', ['s', 'g'], ['y'])];
  const out = ([1, 2] as const).map((threads) => {
    const p = prepare(model({ inputs: { x: x.dims, g: g.dims }, outputs: ['y'], nodes }), { threads, host: nodeExecutorHost });
    if (!p.ok) throw new Error(p.error.message);
    return asFloat(run(p.value, new Map<string, Tensor>([['x', x], ['g', g]])).get('y')!);
  });
  expect(Buffer.from(out[1]!.data.buffer).equals(Buffer.from(out[0]!.data.buffer))).toBe(true);
});
