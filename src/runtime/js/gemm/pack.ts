/**
 * Packing for the blocked GEMM. A (the weights) is packed once, into panels of MR rows stored
 * k-major: element (r, kk) of panel p is at p*K*MR + kk*MR + (r - p*MR), rows past M are zero.
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
  for (let p = 0; p < panels; p++) {
    const base = dstOff + p * k * MR;
    for (let r = 0; r < MR; r++) {
      const row = p * MR + r;
      if (row >= m) {
        for (let kk = 0; kk < k; kk++) dst[base + kk * MR + r] = 0;
        continue;
      }
      const s = scale ? scale[row]! : 1;
      const from = srcOff + row * rowStride;
      for (let kk = 0; kk < k; kk++) dst[base + kk * MR + r] = src[from + kk * colStride]! * s;
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
    for (let kk = 0; kk < kc; kk++) im2colRow(job, f, kernels, pc + kk, j0, nc, bp + kk * NR, kc * NR);
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

/**
 * Row `row` of the im2col matrix, columns [j0, j0+nc), into packed layout: the geometry of the
 * row is worked out here, the copying done by the kernel (see wasm/im2col.ts for the arguments).
 */
function im2colRow(job: GemmJob, f: Float32Array, kernels: GemmKernels, row: number, j0: number, nc: number, dst: number, panelStride: number): void {
  const { h, w, kh, kw, sw, pw, dh, dw, ow } = job;
  const ci = (row / (kh * kw)) | 0;
  const rem = row - ci * kh * kw;
  const ky = (rem / kw) | 0;
  const kx = rem - ky * kw;
  const xOff = kx * dw - pw;
  // Output columns ox with 0 <= ox*sw + xOff < w.
  const oxLo = xOff >= 0 ? 0 : Math.ceil(-xOff / sw);
  const oxHi = Math.min(ow, Math.max(0, Math.floor((w - 1 - xOff) / sw) + 1));
  const oy = (j0 / ow) | 0;
  kernels.im2col(f, dst, panelStride, job.bOff + ci * h * w, w, h, sw, job.sh, xOff, ky * dh - job.ph, ow, oy, j0 - oy * ow, nc, oxLo, oxHi);
}
