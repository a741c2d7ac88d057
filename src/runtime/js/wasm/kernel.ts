/**
 * The WebAssembly SIMD kernels bound to an arena's memory, behind the GemmKernels interface of
 * the JS ones (float offsets in, byte offsets to WebAssembly, 0 for an absent pointer).
 */
import v8 from 'node:v8';
import type { GemmKernels } from '../gemm/macro-js.js';
import { MR, NR } from '../gemm/pack.js';
import { gemmModuleBytes } from './gemm-module.js';

let compiled: WebAssembly.Module | undefined;

function moduleBytes(fma: boolean): Uint8Array<ArrayBuffer> {
  return gemmModuleBytes({ mr: MR, nv: NR / 4, fma });
}

function validates(fma: boolean): boolean {
  try {
    return WebAssembly.validate(moduleBytes(fma));
  } catch {
    return false;
  }
}

/** True when this runtime can compile the SIMD module. */
export function wasmSimdAvailable(): boolean {
  return validates(false);
}

let fma: boolean | undefined;

/**
 * Whether the kernels use relaxed SIMD's multiply-add, unless RESDSL_WASM_FMA=0: Node 22 and later
 * have it; on Node 20 it is behind V8's --experimental-wasm-relaxed-simd, which is switched on
 * here (a wasm feature flag, read when a module is compiled; worker threads share it).
 */
export function wasmFma(): boolean {
  if (fma !== undefined) return fma;
  if (process.env['RESDSL_WASM_FMA'] === '0') return (fma = false);
  if (!validates(true)) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return (fma = validates(true));
}

type Fn = (...args: number[]) => void;

export function wasmKernels(memory: WebAssembly.Memory): GemmKernels {
  compiled ??= new WebAssembly.Module(moduleBytes(wasmFma()));
  const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports;
  const macro = exports['macro'] as Fn;
  const pack = exports['pack'] as Fn;
  const im2col = exports['im2col'] as Fn;
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
    im2col(_f, dst, panelStride, plane, w, h, sw, sh, xOff, yOff, ow, oy, ox, nc, oxLo, oxHi) {
      im2col(dst * 4, panelStride * 4, plane * 4, w, h, sw, sh, xOff, yOff, ow, oy, ox, nc, oxLo, oxHi);
    },
  };
}
