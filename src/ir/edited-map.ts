/**
 * A map made from another by a few edits, without copying it. A pass that changes a few thousand
 * entries of a graph's 100,000-entry maps (types, tensors) returns one of these instead of a copy:
 * copying such a map costs about 20 ms, and as much again in garbage collection, per map and pass.
 * The base is never written (passes stay pure); reads look at the edits, then at the base.
 *
 * It behaves as a Map copied from the base and then edited would, iteration order included: the
 * base's order (a changed value in its place, a deleted key skipped), then the added keys in the
 * order they were set (a deleted key set again is an added one, at the end, as in a Map). A chain
 * of edited maps is flattened into a plain Map after a few levels, so reads stay a few lookups.
 */

const maxDepth = 4;

export class EditedMap<K, V extends {}> implements ReadonlyMap<K, V> {
  private readonly base: ReadonlyMap<K, V>;
  /** Keys of the base with a new value. */
  private readonly changed = new Map<K, V>();
  /** Keys not in the base (or deleted from it and set again). */
  private readonly added = new Map<K, V>();
  /** Keys of the base deleted (or deleted and set again, then in `added`). */
  private readonly hidden = new Set<K>();
  private readonly depth: number;

  constructor(base: ReadonlyMap<K, V>) {
    const depth = base instanceof EditedMap ? base.depth + 1 : 1;
    this.base = depth > maxDepth ? new Map(base) : base;
    this.depth = depth > maxDepth ? 1 : depth;
  }

  get size(): number {
    return this.base.size - this.hidden.size + this.added.size;
  }

  /** Whether a key of the base is deleted (or moved to `added`): one lookup only when some are. */
  private isHidden(key: K): boolean {
    return this.hidden.size > 0 && this.hidden.has(key);
  }

  has(key: K): boolean {
    return this.added.has(key) || (!this.isHidden(key) && this.base.has(key));
  }

  // values are never undefined (V extends {}), so one `get` tells a miss
  get(key: K): V | undefined {
    const a = this.added.get(key);
    if (a !== undefined) return a;
    if (this.isHidden(key)) return undefined;
    if (this.changed.size > 0) {
      const c = this.changed.get(key);
      if (c !== undefined) return c;
    }
    return this.base.get(key);
  }

  set(key: K, value: V): this {
    // a key of the base that is not hidden is not in `added`
    if (!this.isHidden(key) && this.base.has(key)) this.changed.set(key, value);
    else this.added.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (this.added.delete(key)) return true;
    if (this.hidden.has(key) || !this.base.has(key)) return false;
    this.hidden.add(key);
    this.changed.delete(key);
    return true;
  }

  /** Whether the base's entries are all there as they were (then they are iterated as they are). */
  private get baseIntact(): boolean {
    return this.hidden.size === 0 && this.changed.size === 0;
  }

  *entries(): MapIterator<[K, V]> {
    if (this.baseIntact) yield* this.base;
    else {
      const { hidden, changed } = this;
      for (const [k, v] of this.base) {
        if (hidden.size > 0 && hidden.has(k)) continue;
        yield [k, changed.size > 0 && changed.has(k) ? changed.get(k)! : v];
      }
    }
    yield* this.added;
  }

  *keys(): MapIterator<K> {
    if (this.baseIntact) yield* this.base.keys();
    else for (const k of this.base.keys()) if (!this.hidden.has(k)) yield k;
    yield* this.added.keys();
  }

  *values(): MapIterator<V> {
    if (this.baseIntact) yield* this.base.values();
    else for (const [k, v] of this.base) if (!this.hidden.has(k)) yield this.changed.size > 0 && this.changed.has(k) ? this.changed.get(k)! : v;
    yield* this.added.values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(f: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) f.call(thisArg, v, k, this);
  }
}
