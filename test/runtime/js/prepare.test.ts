import { describe, expect, it } from 'vitest';
import { prepare, run, RunError, type Tensor } from '../../../src/runtime/js/index.js';
import { attrs, init, int64, model, node, randTensor, rng } from './helpers.js';

function problem(m: ReturnType<typeof model>) {
  const p = prepare(m);
  return p.ok ? undefined : { code: p.error.code, message: p.error.message };
}

describe('prepare', () => {
  it('names the node and operator of an unsupported op', () => {
    const nodes = [node('Relu', ['x'], ['r']), node('LSTM', ['r', 'w', 'rr'], ['y'], {}, 'encoder/lstm')];
    expect(problem(model({ inputs: { x: [1, 2, 3], w: [1], rr: [1] }, outputs: ['y'], nodes }))).toEqual({
      code: 'E0802', message: "node 'encoder/lstm' (LSTM): operator LSTM is not supported by the JS executor",
    });
  });

  it('rejects operators of other domains', () => {
    const n = { ...node('Relu', ['x'], ['y']), domain: 'com.microsoft' };
    expect(problem(model({ inputs: { x: [1] }, outputs: ['y'], nodes: [n] }))?.message).toBe('node #0 (Relu): operator com.microsoft.Relu is not supported by the JS executor');
  });

  it('names node, attribute and value of an unsupported attribute value', () => {
    const n = node('Pad', ['x', 'p'], ['y'], attrs({ mode: 'wrap' }), 'pad1');
    expect(problem(model({ inputs: { x: [2] }, outputs: ['y'], nodes: [n], initializers: [{ name: 'p', dims: [2], dataType: 'int64', data: BigInt64Array.of(1n, 1n) }] }))).toEqual({
      code: 'E0803', message: "node 'pad1' (Pad): attribute mode = 'wrap' is not supported: expected constant, reflect or edge",
    });
  });

  it('rejects unknown attributes and attributes that could not be read', () => {
    const unknown = node('Relu', ['x'], ['y'], attrs({ alpha: 0.5 }), 'r');
    expect(problem(model({ inputs: { x: [1] }, outputs: ['y'], nodes: [unknown] }))?.message).toBe("node 'r' (Relu): attribute alpha is not supported");
    const unread = { ...node('Relu', ['x'], ['y'], {}, 'r'), unreadAttrs: { body: 'graph' } };
    expect(problem(model({ inputs: { x: [1] }, outputs: ['y'], nodes: [unread] }))?.message).toBe("node 'r' (Relu): attribute body of type graph is not supported");
  });

  it('checks window attributes', () => {
    const n = node('Conv', ['x', 'w'], ['y'], attrs({ strides: [0, 1] }), 'c');
    const w = init('w', randTensor(rng(1), [1, 1, 3, 3]));
    expect(problem(model({ inputs: { x: [1, 1, 5, 5] }, outputs: ['y'], nodes: [n], initializers: [w] }))?.message)
      .toBe("node 'c' (Conv): attribute strides = [0, 1] is not supported: values must be positive integers");
  });

  it('takes float32 inputs only', () => {
    const m = model({ inputs: { x: [2] }, outputs: ['y'], nodes: [node('Relu', ['x'], ['y'])] });
    m.inputs[0]!.elemType = 'int32';
    expect(problem(m)).toEqual({ code: 'E0803', message: "graph input 'x' has element type int32; the JS executor runs float32 only" });
  });

  it('reports values that nothing defines', () => {
    expect(problem(model({ inputs: { x: [2] }, outputs: ['y'], nodes: [node('Add', ['x', 'ghost'], ['y'])] }))).toEqual({
      code: 'E0801', message: "node #0 (Add) reads value 'ghost', which nothing before it defines",
    });
    expect(problem(model({ inputs: { x: [2] }, outputs: ['z'], nodes: [node('Relu', ['x'], ['y'])] }))?.message)
      .toBe("graph output 'z' reads value 'z', which nothing before it defines");
  });
});

describe('run', () => {
  const m = model({ inputs: { x: ['N', 3] }, outputs: ['y'], nodes: [node('Relu', ['x'], ['y'])] });
  const p = prepare(m);
  if (!p.ok) throw new Error(p.error.message);
  it('accepts any size for a symbolic dimension', () => {
    for (const n of [1, 4]) expect(run(p.value, new Map([['x', randTensor(rng(n), [n, 3])]])).get('y')!.dims).toEqual([n, 3]);
  });
  it('rejects inputs that do not fit, with E0704', () => {
    const bad: Record<string, Tensor>[] = [
      {}, { x: randTensor(rng(1), [2, 4]) }, { x: randTensor(rng(1), [6]) }, { x: { dims: [1, 3], data: new Float32Array(2) } },
      { x: randTensor(rng(1), [1, 3]), extra: randTensor(rng(1), [1]) },
    ];
    for (const inputs of bad) {
      let err: unknown;
      try {
        run(p.value, new Map(Object.entries(inputs)));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RunError);
      expect((err as RunError).code).toBe('E0704');
    }
  });
});

it('reports a run that needs more than the 4 GiB of WebAssembly memory as E0404, without allocating it', () => {
  const pad = node('Pad', ['x', 'p'], ['y']);
  const m = model({ inputs: { x: [1, 2] }, outputs: ['y'], nodes: [pad], initializers: [int64('p', [0, 0, 0, 1_500_000_000])] });
  const p = prepare(m);
  if (!p.ok) throw new Error(p.error.message);
  expect(() => run(p.value, new Map([['x', randTensor(rng(2), [1, 2])]]))).toThrow(expect.objectContaining({ code: 'E0404' }));
});

describe('takeWeights', () => {
  it('empties the model initializers and still computes the same, with a weight two nodes read', () => {
    const w = init('w', randTensor(rng(4), [4, 3, 3, 3]));
    const nodes = [
      node('Conv', ['x', 'w'], ['a'], attrs({ pads: [1, 1, 1, 1] })), node('Relu', ['a'], ['r']),
      node('Conv', ['x', 'w'], ['b'], attrs({ pads: [1, 1, 1, 1] })), node('Add', ['r', 'b'], ['y']),
    ];
    const make = () => model({ inputs: { x: [1, 3, 6, 6] }, outputs: ['y'], nodes, initializers: [w] });
    const x = randTensor(rng(5), [1, 3, 6, 6]);
    const plain = prepare(make());
    const taken = make();
    let released = 0;
    const lean = prepare(taken, { takeWeights: true, released: (n) => (released += n) });
    if (!plain.ok || !lean.ok) throw new Error('prepare failed');
    expect(taken.initializers).toEqual([]);
    expect(released).toBe(4 * 27 * 4);
    const [p, l] = [plain, lean].map((q) => run(q.value, new Map([['x', x]])).get('y')!);
    expect(l!.data).toEqual(p!.data);
  });
});
