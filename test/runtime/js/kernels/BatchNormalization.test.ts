import { expect, it } from 'vitest';
import { prepare } from '../../../../src/runtime/js/index.js';
import { attrs, expectClose, init, model, node, randTensor, rng, runNode } from '../helpers.js';

it('BatchNormalization normalises each channel with the running statistics', () => {
  const r = rng(5);
  const x = randTensor(r, [2, 4, 3, 5]);
  const [s, b, m] = [randTensor(r, [4]), randTensor(r, [4]), randTensor(r, [4])];
  const v = { dims: [4], data: randTensor(r, [4]).data.map((t) => t + 1.2) };
  const want = x.data.map((t, i) => {
    const c = Math.floor(i / 15) % 4;
    return (t - m.data[c]!) / Math.sqrt(v.data[c]! + 0.01) * s.data[c]! + b.data[c]!;
  });
  const n = node('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], attrs({ epsilon: 0.01 }));
  expectClose(runNode(n, { x, s, b, m, v }), { dims: x.dims, data: want });
  expectClose(runNode(n, { x }, [init('s', s), init('b', b), init('m', m), init('v', v)]), { dims: x.dims, data: want });
});

it('BatchNormalization in training mode is rejected before running', () => {
  const n = node('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], attrs({ training_mode: 1 }), 'bn7');
  const p = prepare(model({ inputs: { x: [1, 2], s: [2], b: [2], m: [2], v: [2] }, outputs: ['y'], nodes: [n] }));
  expect(p.ok).toBe(false);
  if (!p.ok) expect(p.error).toMatchObject({ code: 'E0803', message: "node 'bn7' (BatchNormalization): attribute training_mode = 1 is not supported: only inference is supported" });
});
