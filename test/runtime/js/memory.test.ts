import { expect, it } from 'vitest';
import { prepare, run } from '../../../src/runtime/js/index.js';
import { attrs, init, model, node, randTensor, rng } from './helpers.js';

it('releases each activation after its last reader, so depth does not grow memory', () => {
  const r = rng(8);
  const depth = 40;
  const nodes = [];
  const inits = [];
  let x = 'x';
  for (let i = 0; i < depth; i++) {
    inits.push(init(`w${i}`, randTensor(r, [16, 16, 3, 3], 0.1)));
    nodes.push(node('Conv', [x, `w${i}`], [`c${i}`], attrs({ pads: [1, 1, 1, 1] })), node('Sigmoid', [`c${i}`], [`s${i}`]));
    x = `s${i}`;
  }
  const plan = prepare(model({ inputs: { x: [1, 16, 32, 32] }, outputs: [x], nodes, initializers: inits }), { kernel: 'wasm' });
  if (!plan.ok) throw new Error(plan.error.message);
  const arena = plan.value.arena;
  const afterPrepare = arena.highWater;
  const activation = 16 * 32 * 32 * 4;
  const input = randTensor(r, [1, 16, 32, 32]);
  const first = run(plan.value, new Map([['x', input]])).get(x)!;
  const afterRun = arena.highWater;
  // The input, one conv output and one sigmoid output (in place) live at a time.
  expect(afterRun - afterPrepare).toBeLessThanOrEqual(3 * activation);
  const second = run(plan.value, new Map([['x', input]])).get(x)!;
  expect(arena.highWater).toBe(afterRun);
  expect(second.data).toEqual(first.data);
});
