/**
 * The WebAssembly SIMD kernels bound to an arena's memory, behind the GemmKernels and
 * VectorKernels interfaces of the JS ones (float offsets in, byte offsets to WebAssembly, 0 for an
 * absent pointer).
 */
import type { GemmKernels } from '../gemm/macro-js.js';
import type { VectorKernels } from '../vector/kernels.js';
import { activationNames, binaryOps } from './vector-module.js';
import { depthwiseShapes, maxPoolShapes } from './depthwise-module.js';
import { depthwiseJs } from '../depthwise/js.js';
import { jsVectorKernels } from '../vector/js.js';
import { padValue, windowMode, type DepthwiseTask } from '../depthwise/task.js';
import { fromBits } from '../gemm/job.js';
import { kernelModuleBytes } from './module.js';
import { hasRelaxedSimd, hasSimd } from './probe.js';
import type { ExecutorHost } from '../host.js';

/** The compiled module, with and without multiply-add (compiled once per thread; a worker is handed the main thread's). */
const compiled = new Map<boolean, WebAssembly.Module>();

/**
 * Whether the kernels can use relaxed SIMD's multiply-add: browsers and Node 22 have it; Node 20
 * has it behind V8's --experimental-wasm-relaxed-simd, which its host switches on (a wasm feature
 * flag, read when a module is compiled; worker threads share it). Asked with a fixed probe.
 */
export function wasmFma(host?: ExecutorHost): boolean {
  if (hasRelaxedSimd()) return true;
  if (!host?.enableRelaxedSimd) return false;
  host.enableRelaxedSimd();
  return hasRelaxedSimd();
}

/** True when this runtime has WebAssembly SIMD (a fixed probe, not the kernels: see probe.ts). */
export const wasmSimdAvailable = hasSimd;

/**
 * The compiled kernels. Compiling throws if they are not valid WebAssembly: a bug in the encoder
 * or a kernel, never taken for a runtime without SIMD.
 */
export function compiledModule(fma: boolean): WebAssembly.Module {
  let m = compiled.get(fma);
  if (m === undefined) compiled.set(fma, (m = new WebAssembly.Module(kernelModuleBytes(fma))));
  return m;
}

type Fn = (...args: number[]) => void;

/** Both kernel sets, from one instance of `module` bound to `memory`. */
export function wasmKernelSets(memory: WebAssembly.Memory, module: WebAssembly.Module): { gemm: GemmKernels; vector: VectorKernels } {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  return { gemm: gemmKernels(exports), vector: vectorKernels(exports) };
}

function vectorKernels(exports: WebAssembly.Exports): VectorKernels {
  const acts: Fn[] = [];
  for (const [name, op] of activationNames) acts[op] = exports[`act_${name}`] as Fn;
  const fns = (kind: string) => Object.fromEntries(binaryOps.map((op) => [op, exports[`${kind}_${op}`] as Fn])) as Record<(typeof binaryOps)[number], Fn>;
  const [binary, rows, cols] = [fns('binary'), fns('rows'), fns('cols')];
  const mean = exports['mean'] as Fn;
  const chanNorm = exports['chan_norm'] as Fn;
  const planes = new Map(depthwiseShapes.map(([k, s]) => [`conv${k}/${s}`, exports[`dw_planes_k${k}_s${s}`] as Fn]));
  for (const [k, s] of maxPoolShapes) planes.set(`max${k}/${s}`, exports[`max_planes_k${k}_s${s}`] as Fn);
  /** Output planes [p0, p1): the SIMD kernel of the task's shape (one call), or the JS one. */
  const depthwise = (f: Float32Array, t: DepthwiseTask, p0: number, p1: number, thread: number) => {
    const kind = t.mode === windowMode.max ? 'max' : 'conv';
    const run = t.kh === t.kw && t.sh === t.sw && t.dh === 1 && t.dw === 1 ? planes.get(`${kind}${t.kh}/${t.sh}`) : undefined;
    if (run === undefined) return depthwiseJs(f, t, p0, p1, thread);
    const scratch = thread === 0 ? t.scr0 : t.scr1;
    f.fill(padValue(t), scratch, scratch + t.hp * t.wp);
    run(
      t.x * 4, t.y * 4, t.w * 4, t.bias < 0 ? 0 : t.bias * 4, t.n, t.c, t.mult, t.h, t.wd, t.oh, t.ow, t.pt, t.pl,
      scratch * 4, t.wp, t.act, fromBits(t.actA), fromBits(t.actB), p0, p1,
    );
  };
  return {
    depthwise,
    chanNorm(f, x, dst, c, hw, gamma, beta, eps, p0, p1) {
      if (p1 - p0 < 4) jsVectorKernels.chanNorm(f, x, dst, c, hw, gamma, beta, eps, p0, p1);
      else chanNorm(x * 4, dst * 4, c, hw, gamma * 4, beta * 4, eps, p0, p1);
    },
    act(_f, op, a, b, src, dst, n) {
      if (n > 0 && op !== 0) acts[op]!(src * 4, dst * 4, n, a, b);
      else if (n > 0 && src !== dst) _f.copyWithin(dst, src, src + n);
    },
    binary: (_f, op, x, y, dst, n) => binary[op](x * 4, y * 4, dst * 4, n),
    rows: (_f, op, x, s, dst, r, len) => rows[op](x * 4, s * 4, dst * 4, r, len),
    cols: (_f, op, x, s, dst, r, len) => cols[op](x * 4, s * 4, dst * 4, r, len),
    mean: (_f, x, dst, planes, size) => mean(x * 4, dst * 4, planes, size),
  };
}

function gemmKernels(exports: WebAssembly.Exports): GemmKernels {
  const macro = exports['macro'] as Fn;
  const pack = exports['pack'] as Fn;
  const im2colRows = exports['im2col_rows'] as Fn;
  return {
    macro(_f, mTiles, nTiles, kc, a, aStride, b, c, ldc, accumulate, epi) {
      if (mTiles <= 0 || nTiles <= 0) return;
      const flags = (accumulate ? 1 : 0) | (epi ? 2 : 0) | (epi?.relu ? 4 : 0);
      const bias = epi && epi.bias >= 0 ? epi.bias * 4 : 0;
      const res = epi && epi.res >= 0 ? epi.res * 4 : 0;
      macro(mTiles, nTiles, kc, a * 4, aStride * 4, b * 4, c * 4, ldc * 4, flags, bias, res, (epi?.ldr ?? 0) * 4);
    },
    pack(_f, src, ld, kc, panels, dst) {
      if (panels > 0 && kc > 0) pack(src * 4, ld * 4, kc, panels, dst * 4);
    },
    im2colRows(_f, j, row0, rows, j0, nc, dst, panelStride) {
      im2colRows(dst * 4, panelStride * 4, j.bOff * 4, j.h, j.w, j.kh, j.kw, j.sh, j.sw, j.ph, j.pw, j.dh, j.dw, j.ow, row0, rows, j0, nc);
    },
  };
}
