/**
 * The generator's source of randomness: a sequence of numbers from fast-check, read in order,
 * with 0 once it runs out. Every choice reads one number, and 0 always means the simplest option
 * (the first of a list, the low end of a range, "no" for an optional feature), so that shrinking
 * the sequence (shorter, smaller numbers) shrinks the program. Also the shape arithmetic the
 * generator uses to know what a program should compute (PyTorch's rules, written independently
 * of the compiler's).
 */
export class Choices {
  private i = 0;
  constructor(private readonly xs: readonly number[]) {}

  private next(): number {
    return this.i < this.xs.length ? this.xs[this.i++]! : 0;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.next() % xs.length]!;
  }

  /** True with about `percent`% probability; false for the number 0. */
  chance(percent: number): boolean {
    return this.next() % 100 >= 100 - percent;
  }
}

/**
 * Names of Object.prototype members, and `__proto__`: identifiers that trip a compiler keeping
 * user-given names in plain objects. The generator uses them as block, network, parameter, label,
 * input and output names (valid programs), and as unknown layers and keyword arguments (errors).
 */
export const prototypeNames = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf'] as const;

/** A fresh name: one of `prototypeNames` not yet in `taken` (sometimes), else `fallback`; added to `taken`. */
export function freshName(ch: Choices, taken: Set<string>, fallback: string, percent = 15): string {
  const wanted = ch.chance(percent) ? ch.pick(prototypeNames) : fallback;
  const name = taken.has(wanted) ? fallback : wanted;
  taken.add(name);
  return name;
}

/** A tensor's shape at batch N: [N, c, h, w], or [N, c] after flatten or gap and flatten. */
export interface Shape {
  rank: 2 | 4;
  c: number;
  h: number;
  w: number;
}

export const flat = (c: number): Shape => ({ rank: 2, c, h: 1, w: 1 });

export function typeText(s: Shape): string {
  return s.rank === 4 ? `f32[N, ${s.c}, ${s.h}, ${s.w}]` : `f32[N, ${s.c}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.rank === b.rank && a.c === b.c && a.h === b.h && a.w === b.w;
}

/** PyTorch's output size of a convolution or pooling window (0 when nothing is left). */
export function windowOut(size: number, k: number, stride: number, pad: number, dilation = 1, ceil = false): number {
  const span = size + 2 * pad - dilation * (k - 1) - 1;
  if (span < 0) return 0;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + pad) out -= 1;
  return out;
}

/** The size after a strided 1x1 subsampling: what `shortcut` and a stride-s 3x3 conv (pad 1) give. */
export const strided = (size: number, s: number): number => Math.floor((size - 1) / s) + 1;

/** The stride a shortcut uses to go from `a` to `b` (both rank 4), if one fits; as the paper's blocks need. */
export function shortcutStride(a: Shape, b: Shape): number | undefined {
  if (a.rank !== 4 || b.rank !== 4) return undefined;
  for (let s = 1; s <= Math.max(a.h, a.w); s++) if (strided(a.h, s) === b.h && strided(a.w, s) === b.w) return s;
  return undefined;
}

export function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
