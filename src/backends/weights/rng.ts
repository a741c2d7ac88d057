/**
 * A small, fast, seeded pseudo-random generator for weight initialization: xoshiro128** (Blackman
 * and Vigna), seeded through splitmix64. Every tensor gets its own stream, derived from the user's
 * seed and the tensor's name only (`tensorRng`), so the weights of one tensor do not depend on
 * which other tensors exist or in which order they are initialized.
 */

const MASK64 = (1n << 64n) - 1n;
/** 2^-32: maps a uint32 to [0, 1). */
const INV_2_32 = 1 / 4294967296;
/** 2^-31: maps an int32 (plus one half) into (-1, 1). */
const INV_2_31 = 1 / 2147483648;

/** One step of splitmix64's output function (the finalizer of MurmurHash3, Stafford variant 13). */
export function splitmix64Mix(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** splitmix64: a stream of 64-bit values from a 64-bit state; used only to seed xoshiro. */
export function splitmix64(seed: bigint): () => bigint {
  let state = seed & MASK64;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    return splitmix64Mix(state);
  };
}

/** 64-bit FNV-1a over the UTF-8 bytes of `s`. */
export function fnv1a64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(s)) {
    h = ((h ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  }
  return h;
}

function checkSeed(seed: number | bigint): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > MASK64) throw new RangeError(`seed ${seed} is outside 0..2^64-1`);
    return seed;
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed ${seed} is not a non-negative safe integer`);
  }
  return BigInt(seed);
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** xoshiro128**: 128 bits of state, 32-bit outputs, period 2^128 - 1. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds the four state words from two outputs of splitmix64(`seed`). */
  constructor(seed: number | bigint) {
    const next = splitmix64(checkSeed(seed));
    const a = next();
    const b = next();
    this.s0 = Number(a & 0xffffffffn) | 0;
    this.s1 = Number(a >> 32n) | 0;
    this.s2 = Number(b & 0xffffffffn) | 0;
    this.s3 = Number(b >> 32n) | 0;
    // The all-zero state is the one state xoshiro must avoid; splitmix64 practically never yields it.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform sample in [0, 1), with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextU32() * INV_2_32;
  }

  /** Fills `out` with uniform samples in [lo, hi) (rounding to float32 may give hi itself). */
  fillUniform(out: Float32Array, lo: number, hi: number): void {
    const width = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + width * this.nextU32() * INV_2_32;
  }

  /**
   * Fills `out` with normal samples of the given mean and standard deviation, by the polar form of
   * the Box-Muller transform (Marsaglia): a point (x, y) uniform in the square (-1, 1)^2 is kept if
   * s = x^2 + y^2 < 1 and gives the two samples x f and y f with f = sqrt(-2 ln s / s). It needs
   * no sine or cosine, and keeping the state in locals makes the loop several times faster than
   * calling nextU32 per uniform.
   */
  fillNormal(out: Float32Array, mean: number, std: number): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const n = out.length;
    let i = 0;
    while (i < n) {
      // Two signed 32-bit outputs, mapped symmetrically into (-1, 1).
      const a = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const b = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const x = (a + 0.5) * INV_2_31;
      const y = (b + 0.5) * INV_2_31;
      const s = x * x + y * y;
      if (s >= 1) continue;
      const f = std * Math.sqrt((-2 * Math.log(s)) / s);
      out[i++] = mean + x * f;
      if (i < n) out[i++] = mean + y * f;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

/**
 * The generator for one tensor: its seed mixes the user's `seed` with the 64-bit FNV-1a hash of
 * the tensor's name, so the stream depends on (seed, name) and nothing else.
 */
export function tensorRng(seed: number | bigint, name: string): Rng {
  return new Rng(splitmix64Mix(checkSeed(seed)) ^ fnv1a64(name));
}
