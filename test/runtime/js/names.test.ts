/**
 * Names from a file are data, never keys of a plain object: a model whose values are called
 * `__proto__`, `constructor` and `toString`, and nodes with attributes of such names, run (or are
 * rejected) like any other, through the whole read/prepare/run path.
 */
import { describe, expect, it } from 'vitest';
import type { OnnxAttr } from '../../../src/onnx/model.js';
import { decodeModel } from '../../../src/onnx/read.js';
import { encodeModel } from '../../../src/onnx/write.js';
import { prepare, run } from '../../../src/runtime/js/index.js';
import { expectClose, model, node, randTensor, rng } from './helpers.js';

const hostile = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

function roundTrip(m: ReturnType<typeof model>) {
  const r = decodeModel(encodeModel(m).model);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('value names that are Object.prototype properties', () => {
  it('are inputs, intermediate values and outputs like any other', () => {
    const [a, b, c, d] = hostile as [string, string, string, string];
    const m = roundTrip(model({
      inputs: { [a]: [2, 3], [b]: [2, 3] },
      outputs: [d, c],
      nodes: [node('Add', [a, b], [c]), node('Relu', [c], [d])],
    }));
    expect(m.inputs.map((v) => v.name)).toEqual([a, b]);
    const p = prepare(m);
    if (!p.ok) throw new Error(p.error.message);
    const x = randTensor(rng(1), [2, 3]);
    const y = randTensor(rng(2), [2, 3]);
    const out = run(p.value, new Map([[a, x], [b, y]]));
    const sum = x.data.map((v, i) => v + y.data[i]!);
    expect([...out.keys()]).toEqual([d, c]);
    expectClose(out.get(c)! as never, { dims: [2, 3], data: sum });
    expectClose(out.get(d)! as never, { dims: [2, 3], data: sum.map((v) => Math.max(0, v)) });
  });

  it('report a missing input by its name', () => {
    const p = prepare(model({ inputs: { __proto__x: [1], constructor: [1] }, outputs: ['y'], nodes: [node('Add', ['__proto__x', 'constructor'], ['y'])] }));
    if (!p.ok) throw new Error(p.error.message);
    expect(() => run(p.value, new Map([['__proto__x', randTensor(rng(3), [1])]]))).toThrow("input 'constructor' is missing");
  });
});

describe('attribute names that are Object.prototype properties', () => {
  for (const name of hostile) {
    it(`'${name}' on a Relu is an unsupported attribute, also after writing and reading the file`, () => {
      const attrs: Record<string, OnnxAttr> = {};
      Object.defineProperty(attrs, name, { value: { type: 'int', value: 1 }, enumerable: true });
      const m = model({ inputs: { x: [1] }, outputs: ['y'], nodes: [node('Relu', ['x'], ['y'], attrs, 'r')] });
      for (const candidate of [m, roundTrip(m)]) {
        const p = prepare(candidate);
        expect(p.ok ? undefined : p.error).toMatchObject({ code: 'E0803', message: `node 'r' (Relu): attribute ${name} is not supported` });
      }
    });
  }

  it('a Constant whose only attribute is named __proto__ is rejected, not read as a value', () => {
    const attrs: Record<string, OnnxAttr> = {};
    Object.defineProperty(attrs, '__proto__', { value: { type: 'float', value: 2 }, enumerable: true });
    const m = roundTrip(model({ inputs: { x: [1] }, outputs: ['y'], nodes: [node('Constant', [], ['c'], attrs, 'k'), node('Add', ['x', 'c'], ['y'])] }));
    const p = prepare(m);
    expect(p.ok ? undefined : p.error.code).toBe('E0803');
  });
});
