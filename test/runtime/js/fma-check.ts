/**
 * Run by gemm.test.ts in a child process with --experimental-wasm-relaxed-simd (Node 20 lacks
 * relaxed SIMD otherwise): multiplies random matrices with the WebAssembly kernels, which then
 * use fused multiply-add, and prints whether they did and the worst error against plain loops.
 */
import { Arena } from '../../../src/runtime/js/arena.js';
import { Engine } from '../../../src/runtime/js/engine/engine.js';
import { matrixJob } from '../../../src/runtime/js/gemm/job.js';
import { packA, packedASize } from '../../../src/runtime/js/gemm/pack.js';
import { wasmFma } from '../../../src/runtime/js/wasm/kernel.js';

const [m, n, k] = [37, 301, 290];
const arena = new Arena();
const a = arena.alloc(m * k);
const b = arena.alloc(k * n);
const c = arena.alloc(m * n);
for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.37);
for (let i = 0; i < b.length; i++) b[i] = Math.cos(i * 0.11);
const packed = arena.alloc(packedASize(m, k));
packA(a, 0, m, k, arena.f32(), arena.offsetOf(packed)!);
const engine = new Engine(arena, { threads: 1, kernel: 'wasm', fma: wasmFma() });
engine.gemm(matrixJob({ m, n, k, a: arena.offsetOf(packed)!, c: arena.offsetOf(c)!, ldc: n, bOff: arena.offsetOf(b)!, bLd: n }));
let worst = 0;
for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
  let s = 0;
  for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
  worst = Math.max(worst, Math.abs(c[i * n + j]! - s) / (1 + Math.abs(s)));
}
console.log(JSON.stringify({ fma: engine.options.fma, worst }));
