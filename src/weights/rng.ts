/**
 * A small, fast, seeded pseudo-random generator for weight initialization: xoshiro128** (Blackman
 * and Vigna), seeded through splitmix64. Every tensor gets its own stream, derived from the user's
 * seed and the tensor's name only (`tensorRng`), so the weights of one tensor do not depend on
 * which other tensors exist or in which order they are initialized.
 */

import { fn, kn, R, wn } from './ziggurat.js';

const MASK64 = (1n << 64n) - 1n;
/** 2^-32: maps a uint32 to [0, 1). */
const INV_2_32 = 1 / 4294967296;

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

const utf8 = new TextEncoder();

/**
 * 64-bit FNV-1a over the UTF-8 bytes of `s`. Computed on two 32-bit halves (a compile hashes one
 * name per tensor, 50,000 of them for a large network, and BigInt arithmetic per byte took 0.1 s):
 * the prime is 2^40 + 0x1b3, so h * prime = h * 0x1b3 + (h << 40), modulo 2^64.
 */
export function fnv1a64(s: string): bigint {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const byte of utf8.encode(s)) {
    lo = (lo ^ byte) >>> 0;
    // lo * 0x1b3 has up to 41 bits: made from 16-bit halves, exact in a double
    const low = (lo & 0xffff) * 0x1b3 + (lo >>> 16) * 0x1b3 * 0x10000;
    const carry = Math.floor(low / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = low >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The seed as a 64-bit unsigned integer; a RangeError for one outside 0..2^64-1 or not an integer. */
export function checkSeed(seed: number | bigint): bigint {
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

  /** A uniform sample in (0, 1), never 0, for logarithms. */
  private openFloat(): number {
    return (this.nextU32() + 0.5) * INV_2_32;
  }

  /** The ziggurat's slow path for a first draw (hz, iz) that fell outside its layer's rectangle. */
  private normalSlow(hz: number, iz: number): number {
    for (;;) {
      if (iz === 0) {
        let x: number;
        let y: number;
        do {
          x = -Math.log(this.openFloat()) / R;
          y = -Math.log(this.openFloat());
        } while (y + y < x * x);
        return hz > 0 ? R + x : -R - x;
      }
      const x = hz * wn[iz]!;
      if (fn[iz]! + this.openFloat() * (fn[iz - 1]! - fn[iz]!) < Math.exp(-0.5 * x * x)) return x;
      iz = this.nextU32() & 127;
      hz = this.nextU32() | 0;
      if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
    }
  }

  /**
   * Fills `out` with normal samples of the given mean and standard deviation, by the ziggurat
   * method (see ziggurat.ts). One 32-bit output makes a sample on the fast path: its top 7 bits
   * choose the layer and its low 25 bits (signed) the value, so the two never share bits. The
   * generator's state stays in locals on the fast path.
   */
  fillNormal(out: Float32Array, mean: number, std: number): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const a = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const iz = a >>> 25;
      const h = (a << 7) >> 7; // low 25 bits, signed: the value in units of 2^-24 of the layer's width
      if (Math.abs(h) < kn25[iz]!) {
        out[i] = mean + std * h * wn25[iz]!;
        continue;
      }
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      out[i] = mean + std * this.normalSlow(h * 128, iz);
      s0 = this.s0;
      s1 = this.s1;
      s2 = this.s2;
      s3 = this.s3;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

/** The ziggurat's tables rescaled for 25-bit signed values (a 32-bit value is 128 times one). */
const kn25 = Float64Array.from(kn, (k) => k / 128);
const wn25 = Float64Array.from(wn, (w) => w * 128);

/**
 * The generator for one tensor: its seed mixes the user's `seed` with the 64-bit FNV-1a hash of
 * the tensor's name, so the stream depends on (seed, name) and nothing else.
 */
export function tensorRng(seed: number | bigint, name: string): Rng {
  return new Rng(mixedSeed(seed) ^ fnv1a64(name));
}

/** splitmix64Mix of the seed, kept for the last seed asked (a compile asks for one, once per tensor). */
let lastSeed: { seed: number | bigint; mixed: bigint } | undefined;
function mixedSeed(seed: number | bigint): bigint {
  if (lastSeed?.seed !== seed) lastSeed = { seed, mixed: splitmix64Mix(checkSeed(seed)) };
  return lastSeed.mixed;
}
