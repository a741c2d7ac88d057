/**
 * The elementwise and per-plane kernels the engine's tasks call, behind one interface with a
 * WebAssembly SIMD implementation (wasm/kernel.ts, generated in wasm/vector-module.ts) and this
 * folder's plain JS one. Offsets and counts are in floats of the arena's memory `f`.
 */
import type { ActOp } from '../activation.js';
import type { DepthwiseTask } from '../depthwise/task.js';
import type { VectorBinaryOp } from '../wasm/vector-module.js';

export type { VectorBinaryOp };

export interface VectorKernels {
  /** dst[i] = op(src[i]) for i < n. */
  act(f: Float32Array, op: ActOp, a: number, b: number, src: number, dst: number, n: number): void;
  /** dst[i] = x[i] op y[i] for i < n. */
  binary(f: Float32Array, op: VectorBinaryOp, x: number, y: number, dst: number, n: number): void;
  /** dst[r*len + i] = x[r*len + i] op s[r]. */
  rows(f: Float32Array, op: VectorBinaryOp, x: number, s: number, dst: number, rows: number, len: number): void;
  /** dst[r*len + i] = x[r*len + i] op s[i]. */
  cols(f: Float32Array, op: VectorBinaryOp, x: number, s: number, dst: number, rows: number, len: number): void;
  /** dst[p] = mean of x[p*size ..< (p+1)*size]. */
  mean(f: Float32Array, x: number, dst: number, planes: number, size: number): void;
  /**
   * Layer norm over the c channels of an NCHW image x (planes of hw floats) at positions [p0, p1),
   * into dst (not x).
   */
  chanNorm(f: Float32Array, x: number, dst: number, c: number, hw: number, gamma: number, beta: number, eps: number, p0: number, p1: number): void;
  /** Output planes [p0, p1) of a depthwise convolution, with thread `thread`'s scratch block. */
  depthwise(f: Float32Array, t: DepthwiseTask, p0: number, p1: number, thread: number): void;
}
