/**
 * The kernels the GEMM driver calls, and their plain JS versions: `macro` multiplies whole MR x NR
 * tiles of packed A and packed B (see pack.ts), each tile as four 2 x 4 register blocks (eight
 * accumulators, what V8 keeps in registers), and `pack` copies whole column panels of a matrix
 * into packed-B layout. Offsets are float indices. wasm/kernel.ts has the SIMD versions.
 */
import type { GemmJob } from './job.js';
import { MR, NR } from './pack.js';

/** Applied to a finished block: + bias[row], + R[row][col], then ReLU. Offsets of row 0, col 0. */
export interface Epilogue {
  /** -1 when absent. */
  bias: number;
  /** -1 when absent. */
  res: number;
  ldr: number;
  relu: boolean;
}

export interface GemmKernels {
  macro(
    f: Float32Array, mTiles: number, nTiles: number, kc: number,
    a: number, aStride: number, b: number, c: number, ldc: number, accumulate: boolean, epi: Epilogue | undefined,
  ): void;
  pack(f: Float32Array, src: number, ld: number, kc: number, panels: number, dst: number): void;
  /**
   * Rows [row0, row0 + rows), columns [j0, j0 + nc) of the job's im2col matrix into packed layout
   * at dst (see wasm/im2col.ts), offsets in floats.
   */
  im2colRows(f: Float32Array, job: GemmJob, row0: number, rows: number, j0: number, nc: number, dst: number, panelStride: number): void;
}

/** Applies the epilogue to rows [0, rows) x columns [0, cols) of C at `c`. */
export function applyEpilogue(f: Float32Array, c: number, ldc: number, rows: number, cols: number, epi: Epilogue): void {
  for (let r = 0; r < rows; r++) {
    const b = epi.bias >= 0 ? f[epi.bias + r]! : 0;
    const row = c + r * ldc;
    const rrow = epi.res + r * epi.ldr;
    for (let q = 0; q < cols; q++) {
      let v = f[row + q]! + b;
      if (epi.res >= 0) v += f[rrow + q]!;
      f[row + q] = epi.relu && v < 0 ? 0 : v;
    }
  }
}

function macro(
  f: Float32Array, mTiles: number, nTiles: number, kc: number,
  a: number, aStride: number, b: number, c: number, ldc: number, accumulate: boolean, epi: Epilogue | undefined,
): void {
  for (let j = 0; j < nTiles; j++) {
    const bPanel = b + j * kc * NR;
    for (let i = 0; i < mTiles; i++) {
      const aPanel = a + i * aStride;
      for (let q = 0; q < 4; q++) {
        const r0 = (q >> 1) * 2;
        const c0 = (q & 1) * 4;
        let x00 = 0, x01 = 0, x02 = 0, x03 = 0, x10 = 0, x11 = 0, x12 = 0, x13 = 0;
        let ap = aPanel + r0;
        let bk = bPanel + c0;
        for (let kk = 0; kk < kc; kk++) {
          const a0 = f[ap]!, a1 = f[ap + 1]!;
          const b0 = f[bk]!, b1 = f[bk + 1]!, b2 = f[bk + 2]!, b3 = f[bk + 3]!;
          x00 += a0 * b0; x01 += a0 * b1; x02 += a0 * b2; x03 += a0 * b3;
          x10 += a1 * b0; x11 += a1 * b1; x12 += a1 * b2; x13 += a1 * b3;
          ap += MR;
          bk += NR;
        }
        const cp = c + (i * MR + r0) * ldc + j * NR + c0;
        if (accumulate) {
          f[cp] += x00; f[cp + 1] += x01; f[cp + 2] += x02; f[cp + 3] += x03;
          f[cp + ldc] += x10; f[cp + ldc + 1] += x11; f[cp + ldc + 2] += x12; f[cp + ldc + 3] += x13;
        } else {
          f[cp] = x00; f[cp + 1] = x01; f[cp + 2] = x02; f[cp + 3] = x03;
          f[cp + ldc] = x10; f[cp + ldc + 1] = x11; f[cp + ldc + 2] = x12; f[cp + ldc + 3] = x13;
        }
      }
    }
  }
  if (epi) applyEpilogue(f, c, ldc, mTiles * MR, nTiles * NR, epi);
}

function pack(f: Float32Array, src: number, ld: number, kc: number, panels: number, dst: number): void {
  for (let kk = 0; kk < kc; kk++) {
    let s = src + kk * ld;
    let d = dst + kk * NR;
    for (let q = 0; q < panels; q++, s += NR, d += kc * NR) {
      f[d] = f[s]!; f[d + 1] = f[s + 1]!; f[d + 2] = f[s + 2]!; f[d + 3] = f[s + 3]!;
      f[d + 4] = f[s + 4]!; f[d + 5] = f[s + 5]!; f[d + 6] = f[s + 6]!; f[d + 7] = f[s + 7]!;
    }
  }
}

/** One row of the im2col matrix, columns [ox of row oy ...) for nc columns: as wasm/im2col.ts. */
function im2colRun(f: Float32Array, dst: number, panelStride: number, plane: number, w: number, h: number, sw: number, sh: number, xOff: number, yOff: number, ow: number, oy: number, ox: number, nc: number, oxLo: number, oxHi: number): void {
  for (let t = 0; t < nc; ox = 0, oy++) {
    const end = t + Math.min(ow - ox, nc - t);
    const iy = oy * sh + yOff;
    let lo = end;
    let hi = end;
    let s = 0;
    if (iy >= 0 && iy < h) {
      lo = t + Math.max(0, Math.min(oxLo, ox + end - t) - ox);
      hi = t + Math.max(lo - t, Math.min(oxHi, ox + end - t) - ox);
      s = plane + iy * w + (lo - t + ox) * sw + xOff;
    }
    for (; t < end; t++) {
      f[dst + (t >> 3) * panelStride + (t & 7)] = t >= lo && t < hi ? f[s + (t - lo) * sw]! : 0;
    }
  }
};

const im2colRows: GemmKernels['im2colRows'] = (f, job, row0, rows, j0, nc, dst, panelStride) => {
  const { h, w, kh, kw, sw, pw, dh, dw, ow } = job;
  for (let kk = 0; kk < rows; kk++) {
    const row = row0 + kk;
    const ci = Math.floor(row / (kh * kw));
    const rem = row - ci * kh * kw;
    const ky = Math.floor(rem / kw);
    const xOff = (rem - ky * kw) * dw - pw;
    // Output columns ox with 0 <= ox*sw + xOff < w.
    const oxLo = xOff >= 0 ? 0 : Math.ceil(-xOff / sw);
    const oxHi = Math.min(ow, Math.max(0, Math.floor((w - 1 - xOff) / sw) + 1));
    const oy = Math.floor(j0 / ow);
    im2colRun(f, dst + kk * NR, panelStride, job.bOff + ci * h * w, w, h, sw, job.sh, xOff, ky * dh - job.ph, ow, oy, j0 - oy * ow, nc, oxLo, oxHi);
  }
};

export const jsKernels: GemmKernels = { macro, pack, im2colRows };
