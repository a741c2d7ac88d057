/**
 * The blocked GEMM driver (the loop nest of BLIS/GotoBLAS): for each block of NC columns and KC
 * depth, pack B once, then sweep A in blocks of MC rows with the macro-kernel (JS or WebAssembly).
 * Tiles cut by the matrix's edge are computed whole into a strip and their valid part stored.
 * Bias, residual and ReLU are applied to each tile with the last KC block, while it is in
 * registers; another activation, to each finished block of rows while it is in cache. A thread
 * runs `gemmRange` on a chunk of rows or columns.
 */
import type { ActOp } from '../activation.js';
import type { VectorKernels } from '../vector/kernels.js';
import { fromBits, type GemmJob } from './job.js';
import { applyEpilogue, type Epilogue, type GemmKernels } from './macro-js.js';
import { KC, MC, MR, NC, NR, packB } from './pack.js';

/** Floats of workspace one thread needs: packed B, then a strip for cut tiles. */
export const workspaceFloats = KC * NC + Math.max(MC, MR * (NC / NR)) * NR;

/** Copies (or adds) rows x cols of the strip into C, then applies the epilogue if any. */
function store(f: Float32Array, src: number, lds: number, dst: number, ldd: number, rows: number, cols: number, accumulate: boolean, epi: Epilogue | undefined): void {
  for (let r = 0; r < rows; r++) {
    const s = src + r * lds;
    const d = dst + r * ldd;
    if (accumulate) for (let q = 0; q < cols; q++) f[d + q] += f[s + q]!;
    else for (let q = 0; q < cols; q++) f[d + q] = f[s + q]!;
  }
  if (epi) applyEpilogue(f, dst, ldd, rows, cols, epi);
}

/** The epilogue for the block at row ic, column jc, or undefined when there is nothing to do. */
function epilogueAt(job: GemmJob, ic: number, jc: number): Epilogue | undefined {
  if (job.bias < 0 && job.res < 0 && job.relu === 0) return undefined;
  return {
    bias: job.bias < 0 ? -1 : job.bias + ic,
    res: job.res < 0 ? -1 : job.res + ic * job.ldr + jc,
    ldr: job.ldr,
    relu: job.relu !== 0,
  };
}

function shifted(epi: Epilogue | undefined, rows: number, cols: number): Epilogue | undefined {
  if (!epi) return undefined;
  return { ...epi, bias: epi.bias < 0 ? -1 : epi.bias + rows, res: epi.res < 0 ? -1 : epi.res + rows * epi.ldr + cols };
}

/** The job's activation on a finished block of C: one call per row, or one for contiguous rows. */
function activateBlock(job: GemmJob, f: Float32Array, vector: VectorKernels, c: number, rows: number, cols: number): void {
  const [op, a, b] = [job.act as ActOp, fromBits(job.actA), fromBits(job.actB)];
  if (cols === job.ldc) vector.act(f, op, a, b, c, c, rows * cols);
  else for (let r = 0; r < rows; r++) vector.act(f, op, a, b, c + r * job.ldc, c + r * job.ldc, cols);
}

/** Computes rows [m0, m1) and columns [n0, n1) of the job; m0 is a multiple of MR. */
export function gemmRange(
  job: GemmJob, f: Float32Array, kernels: GemmKernels, vector: VectorKernels, ws: number,
  m0: number, m1: number, n0: number, n1: number,
): void {
  const { k, ldc } = job;
  const mPadded = Math.ceil(job.m / MR) * MR;
  const strip = ws + KC * NC;
  for (let jc = n0; jc < n1; jc += NC) {
    const nc = Math.min(NC, n1 - jc);
    const nFull = (nc / NR) | 0;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const accumulate = pc > 0;
      const last = pc + kc >= k;
      // This K block of A: its panels, each kc * MR floats, one after the other (pack.ts).
      const aStride = kc * MR;
      packB(job, f, kernels, pc, kc, jc, nc, ws);
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = Math.min(MC, m1 - ic);
        const mFull = (mc / MR) | 0;
        const a = job.a + pc * mPadded + (ic / MR) * aStride;
        const c = job.c + ic * ldc + jc;
        const epi = last ? epilogueAt(job, ic, jc) : undefined;
        kernels.macro(f, mFull, nFull, kc, a, aStride, ws, c, ldc, accumulate, epi);
        if (nc > nFull * NR && mFull > 0) {
          kernels.macro(f, mFull, 1, kc, a, aStride, ws + nFull * kc * NR, strip, NR, false, undefined);
          store(f, strip, NR, c + nFull * NR, ldc, mFull * MR, nc - nFull * NR, accumulate, shifted(epi, 0, nFull * NR));
        }
        if (mc > mFull * MR) {
          const panels = Math.ceil(nc / NR);
          kernels.macro(f, 1, panels, kc, a + mFull * aStride, aStride, ws, strip, panels * NR, false, undefined);
          store(f, strip, panels * NR, c + mFull * MR * ldc, ldc, mc - mFull * MR, nc, accumulate, shifted(epi, mFull * MR, 0));
        }
        if (last && job.act !== 0) activateBlock(job, f, vector, c, mc, nc);
      }
    }
  }
}
