import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, fnv1a64, splitmix64, tensorRng } from '../../src/weights/rng.js';

const take = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextU32());

function moments(a: Float32Array): { mean: number; std: number; kurtosis: number; within1: number } {
  let s = 0;
  for (const v of a) s += v;
  const mean = s / a.length;
  let m2 = 0;
  let m4 = 0;
  let within1 = 0;
  for (const v of a) {
    const d = v - mean;
    m2 += d * d;
    m4 += d ** 4;
    if (Math.abs(v) < 1) within1++;
  }
  m2 /= a.length;
  return { mean, std: Math.sqrt(m2), kurtosis: m4 / a.length / (m2 * m2), within1: within1 / a.length };
}

describe('generator', () => {
  it('matches the reference C code of splitmix64 and xoshiro128**', () => {
    const sm = splitmix64(0n);
    expect([sm(), sm()]).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n]);
    // xoshiro128** seeded with the first two splitmix64(1) outputs, low word first (C reference run).
    expect(take(new Rng(1), 6)).toEqual([1695105466, 1423115009, 634581793, 1068227753, 716759206, 4186505319]);
  });

  it('hashes names with 64-bit FNV-1a', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n);
  });

  it('hashes as the definition of FNV-1a in 64-bit arithmetic does, for any text (non-ASCII included)', () => {
    const reference = (s: string): bigint => {
      let h = 0xcbf29ce484222325n;
      for (const byte of new TextEncoder().encode(s)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & ((1n << 64n) - 1n);
      return h;
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => fnv1a64(s) === reference(s)), { seed: 20261130, numRuns: 2000 });
    for (const s of ['layer1.0.conv1.weight', 'ünïcødé.weight', '\u{1F600}', 'x'.repeat(300)]) expect(fnv1a64(s)).toBe(reference(s));
  });

  it('accepts seeds as safe integers or 64-bit bigints, and nothing else', () => {
    expect(take(new Rng(7n), 3)).toEqual(take(new Rng(7), 3));
    expect(() => new Rng(2n ** 64n - 1n)).not.toThrow();
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => new Rng(bad)).toThrow(RangeError);
    expect(() => new Rng(2n ** 64n)).toThrow(RangeError);
  });

  it('gives uniform floats in [0, 1) and uniform ranges in [lo, hi]', () => {
    const rng = new Rng(3);
    const a = new Float32Array(100_000);
    rng.fillUniform(a, -2, 3);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...a)).toBeLessThanOrEqual(3);
    expect(Math.max(...a)).toBeGreaterThan(2.99);
    expect(moments(a).mean).toBeCloseTo(0.5, 1);
    const f = Array.from({ length: 1000 }, () => rng.nextFloat());
    expect(f.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('gives standard normal samples (mean, deviation, kurtosis, one-sigma mass)', () => {
    const a = new Float32Array(1_000_001); // odd length: the last pair is cut in half
    new Rng(11).fillNormal(a, 0, 1);
    const m = moments(a);
    expect(Math.abs(m.mean)).toBeLessThan(0.005);
    expect(Math.abs(m.std - 1)).toBeLessThan(0.005);
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(0.05);
    expect(Math.abs(m.within1 - 0.682689)).toBeLessThan(0.003);
    const scaled = new Float32Array(200_000);
    new Rng(11).fillNormal(scaled, 5, 0.1);
    const s = moments(scaled);
    expect([s.mean, s.std].map((v) => Number(v.toFixed(2)))).toEqual([5, 0.1]);
  });
});

describe('fillNormal (ziggurat)', () => {
  // Abramowitz and Stegun 7.1.26, |error| < 1.5e-7: plenty for a check at 2e6 samples.
  const erf = (x: number) => {
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  };
  const cdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));

  it('matches the normal distribution function within 5 standard errors, tails and the layer edges included', () => {
    const n = 2_000_000;
    const xs = new Float32Array(n);
    new Rng(2024).fillNormal(xs, 0, 1);
    for (const x of [-4, -3.442619855899, -3, -2, -1, -0.3, 0, 0.7, 1.5, 2.5, 3.442619855899, 4]) {
      let below = 0;
      for (const v of xs) if (v < x) below++;
      const p = cdf(x);
      const se = Math.sqrt((p * (1 - p)) / n) + 1e-7;
      expect(Math.abs(below / n - p) / se).toBeLessThan(5);
    }
  });
});

describe('tensorRng', () => {
  it('depends on the seed and the name only, not on the order of use', () => {
    const names = ['conv1.weight', 'layer1.0.conv1.weight', 'fc.weight'];
    const forward = names.map((n) => take(tensorRng(5, n), 4));
    const backward = [...names].reverse().map((n) => take(tensorRng(5, n), 4)).reverse();
    expect(forward).toEqual(backward);
    expect(new Set(forward.map(String)).size).toBe(3);
    expect(take(tensorRng(6, names[0]!), 4)).not.toEqual(forward[0]);
  });

  it('keeps its streams (weights of a seed must not change between versions)', () => {
    expect(take(tensorRng(0, 'conv1.weight'), 4)).toEqual(PINNED);
  });
});

const PINNED = [2713896764, 2477107478, 2446008349, 3839282092];
