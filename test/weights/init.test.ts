import { describe, expect, it } from 'vitest';
import { initNamedTensor, initTensor } from '../../src/weights/init.js';
import { Rng, tensorRng } from '../../src/weights/rng.js';

function stats(a: Float32Array): { mean: number; std: number; maxAbs: number } {
  let s = 0;
  let s2 = 0;
  let maxAbs = 0;
  for (const v of a) {
    s += v;
    s2 += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean), maxAbs };
}

describe('initTensor', () => {
  it('draws conv weights from Kaiming normal, fan_out mode, relu gain', () => {
    for (const shape of [[64, 32, 3, 3], [64, 2, 3, 3], [256, 64, 1, 1]]) {
      const w = initTensor('conv_weight', shape, new Rng(1));
      const want = Math.sqrt(2 / (shape[0]! * shape[2]! * shape[3]!)); // groups do not enter fan_out
      const s = stats(w);
      expect(w.length).toBe(shape.reduce((p, d) => p * d, 1));
      expect(Math.abs(s.std / want - 1)).toBeLessThan(0.03);
      expect(Math.abs(s.mean)).toBeLessThan(0.05 * want);
    }
  });

  it('draws conv biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in/groups * kh * kw', () => {
    const b = initTensor('conv_bias', [4096], new Rng(2), { weightShape: [4096, 8, 3, 3] });
    const bound = Math.fround(1 / Math.sqrt(8 * 9));
    const s = stats(b);
    expect(s.maxAbs).toBeLessThanOrEqual(bound);
    expect(s.maxAbs).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.05);
  });

  it('draws fc weights and biases from U(-1/sqrt(in), 1/sqrt(in))', () => {
    const w = initTensor('fc_weight', [100, 64], new Rng(3));
    const b = initTensor('fc_bias', [2000], new Rng(4), { weightShape: [2000, 64] });
    for (const t of [w, b]) {
      const s = stats(t);
      expect(s.maxAbs).toBeLessThanOrEqual(1 / 8); // 1/8 is exact in float32
      expect(s.maxAbs).toBeGreaterThan(0.99 / 8);
    }
  });

  it('sets batch norm to scale 1, shift 0, mean 0, variance 1', () => {
    const rng = new Rng(5);
    expect(Array.from(initTensor('bn_weight', [3], rng))).toEqual([1, 1, 1]);
    expect(Array.from(initTensor('bn_bias', [3], rng))).toEqual([0, 0, 0]);
    expect(Array.from(initTensor('bn_mean', [3], rng))).toEqual([0, 0, 0]);
    expect(Array.from(initTensor('bn_var', [3], rng))).toEqual([1, 1, 1]);
    expect(rng.nextU32()).toBe(new Rng(5).nextU32()); // constants draw nothing
  });

  it('refuses what it cannot initialize (caller bugs)', () => {
    expect(() => initTensor('conv_bias', [4], new Rng(1))).toThrow(/needs the weight's shape/);
    expect(() => initTensor('fc_weight', [4, 4, 1], new Rng(1))).toThrow(/rank 2/);
    expect(() => initTensor('conv_weight', [4, -1, 3, 3], new Rng(1))).toThrow(/invalid dimension/);
  });

  it('gives each named tensor the same values whatever else is initialized, and in any order', () => {
    const layers = [
      ['conv1.weight', 'conv_weight', [16, 3, 3, 3]],
      ['layer1.0.conv1.weight', 'conv_weight', [16, 16, 3, 3]],
      ['fc.weight', 'fc_weight', [10, 64]],
    ] as const;
    const init = (names: readonly (typeof layers)[number][]) =>
      new Map(names.map(([n, k, s]) => [n, initNamedTensor(7, n, k, s)]));
    const all = init(layers);
    const fewer = init([layers[2], layers[0]]);
    expect(fewer.get('fc.weight')).toEqual(all.get('fc.weight'));
    expect(fewer.get('conv1.weight')).toEqual(all.get('conv1.weight'));
    expect(initNamedTensor(8, 'fc.weight', 'fc_weight', [10, 64])).not.toEqual(all.get('fc.weight'));
    expect(all.get('conv1.weight')).toEqual(initTensor('conv_weight', [16, 3, 3, 3], tensorRng(7, 'conv1.weight')));
  });
});
