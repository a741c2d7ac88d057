// EditedMap behaves as a Map copied from its base and then edited: same answers to every read,
// same iteration order, the base never written; chains of edited maps included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EditedMap } from '../../src/ir/edited-map.js';

type Op = { kind: 'set'; key: number; value: number } | { kind: 'delete'; key: number } | { kind: 'fork' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 30 }), value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 30 }) }),
  fc.constant({ kind: 'fork' as const }),
);

function same(edited: ReadonlyMap<number, number>, plain: Map<number, number>): void {
  expect([...edited]).toEqual([...plain]);
  expect([...edited.keys()]).toEqual([...plain.keys()]);
  expect([...edited.values()]).toEqual([...plain.values()]);
  expect(edited.size).toBe(plain.size);
  for (let k = 0; k <= 31; k++) {
    expect(edited.has(k)).toBe(plain.has(k));
    expect(edited.get(k)).toBe(plain.get(k));
  }
  const seen: [number, number][] = [];
  edited.forEach((v, k, m) => {
    expect(m).toBe(edited);
    seen.push([k, v]);
  });
  expect(seen).toEqual([...plain]);
}

describe('EditedMap', () => {
  it('answers as a copied and edited Map would, through chains of edits (forks), and never writes its base', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer()), { maxLength: 20 }), fc.array(op, { maxLength: 60 }), (init, ops) => {
        const base = new Map(init);
        const before = [...base];
        let edited = new EditedMap(base);
        let plain = new Map(base);
        for (const o of ops) {
          if (o.kind === 'set') {
            expect(edited.set(o.key, o.value)).toBe(edited);
            plain.set(o.key, o.value);
          } else if (o.kind === 'delete') expect(edited.delete(o.key)).toBe(plain.delete(o.key));
          else {
            const frozen = [...plain];
            const parent = edited;
            edited = new EditedMap(edited); // the next pass edits this pass's result
            plain = new Map(plain);
            edited.set(99, 1);
            edited.delete(99);
            expect([...parent]).toEqual(frozen);
          }
          same(edited, plain);
        }
        expect([...base]).toEqual(before);
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });

  it('a key deleted from the base and set again moves to the end, as in a Map', () => {
    const e = new EditedMap(new Map([[1, 1], [2, 2], [3, 3]]));
    e.delete(1);
    e.set(1, 10);
    e.set(2, 20);
    expect([...e]).toEqual([[2, 20], [3, 3], [1, 10]]);
  });
});
