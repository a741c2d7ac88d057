/**
 * Packing for the blocked GEMM. A (the weights) is packed once, into panels of MR rows stored
 * k-major, block by block of KC columns, so that the GEMM reads each (MC x KC) block of A as one
 * contiguous run: element (r, kk) of panel p, with kk in the block starting at pc (kc wide), is at
 * pc*Mp + p*kc*MR + (kk - pc)*MR + (r - p*MR), Mp being M rounded up to MR; rows past M are zero.
 * B is packed per (KC x NC) block into panels of NR columns, k-major, columns past N zero; B may
 * be the implicit im2col matrix of an image, which is then never materialised.
 */
import type { GemmJob } from './job.js';
import type { GemmKernels } from './macro-js.js';

/** Rows of a micro-tile. */
export const MR = 4;
/** Columns of a micro-tile. */
export const NR = 8;
/** Depth of one packed block. */
export const KC = 256;
/** Columns of one packed block. */
export const NC = 512;
/** Rows of A swept per packed block of B. */
export const MC = 128;

export function packedASize(m: number, k: number): number {
  return Math.ceil(m / MR) * MR * k;
}

/**
 * Packs the m x k matrix `src` (element (r, kk) at src[srcOff + r*rowStride + kk*colStride]: by
 * default row-major, or a transposed matrix read in place) into `dst` at `dstOff`, multiplying
 * row r by scale[r] when given (a folded batch normalization).
 */
export function packA(src: Float32Array, srcOff: number, m: number, k: number, dst: Float32Array, dstOff: number, scale?: Float32Array, rowStride = k, colStride = 1): void {
  const panels = Math.ceil(m / MR);
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    for (let p = 0; p < panels; p++) {
      const base = dstOff + pc * panels * MR + p * kc * MR;
      for (let r = 0; r < MR; r++) {
        const row = p * MR + r;
        if (row >= m) {
          for (let kk = 0; kk < kc; kk++) dst[base + kk * MR + r] = 0;
          continue;
        }
        const s = scale ? scale[row]! : 1;
        const from = srcOff + row * rowStride + pc * colStride;
        for (let kk = 0; kk < kc; kk++) dst[base + kk * MR + r] = src[from + kk * colStride]! * s;
      }
    }
  }
}

/** Packs rows [pc, pc+kc) and columns [j0, j0+nc) of the job's B into panels at `bp`. */
export function packB(job: GemmJob, f: Float32Array, kernels: GemmKernels, pc: number, kc: number, j0: number, nc: number, bp: number): void {
  const full = nc - (nc % NR);
  if (job.bKind === 0) {
    kernels.pack(f, job.bOff + pc * job.bLd + j0, job.bLd, kc, full / NR, bp);
    if (full < nc) packColumns(f, job.bOff + pc * job.bLd + j0, job.bLd, kc, full, nc, bp);
  } else if (job.bKind === 2) {
    packTransposed(f, job.bOff + j0 * job.bLd + pc, job.bLd, kc, nc, bp);
  } else {
    kernels.im2colRows(f, job, pc, kc, j0, nc, bp, kc * NR);
  }
  if (full === nc) return;
  // Zero the columns of the last panel that lie past n.
  const last = bp + (full / NR) * kc * NR;
  for (let kk = 0; kk < kc; kk++) f.fill(0, last + kk * NR + (nc - full), last + kk * NR + NR);
}

/** A block of a transposed matrix: column j of B is row j of the source (row stride ld). */
function packTransposed(f: Float32Array, src: number, ld: number, kc: number, nc: number, bp: number): void {
  for (let j = 0; j < nc; j++) {
    const dst = bp + (j >> 3) * kc * NR + (j & 7);
    const row = src + j * ld;
    for (let kk = 0; kk < kc; kk++) f[dst + kk * NR] = f[row + kk]!;
  }
}

/** The columns [from, to) of a matrix block, one by one (the last, partial panel). */
function packColumns(f: Float32Array, src: number, ld: number, kc: number, from: number, to: number, bp: number): void {
  const panel = bp + (from / NR) * kc * NR;
  for (let kk = 0; kk < kc; kk++) {
    for (let q = from; q < to; q++) f[panel + kk * NR + (q - from)] = f[src + kk * ld + q]!;
  }
}
