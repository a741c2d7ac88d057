/**
 * Elementwise and per-plane work on float32 arrays (activations, broadcast products), the
 * executor's "vector" services to kernels. The engine provides them with WebAssembly SIMD
 * kernels, shared with the worker thread; `jsVector` is the plain JS reference (RESDSL_KERNEL=js).
 */
import { applyActivation, type Activation } from './activation.js';
import type { BinaryOp } from './kernels/binary.js';
import type { Tensor } from './tensor.js';

export interface VectorOps {
  /** dst[i] = act(src[i]); dst may be src. */
  activate(act: Activation, src: Float32Array, dst: Float32Array): void;
  /**
   * out = a op b when the shapes are ones these kernels take (equal shapes, at least); false (and
   * nothing written) otherwise. out may be a or b when as large as the output.
   */
  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): boolean;
}

const sameShape: Record<BinaryOp, (x: Float32Array, y: Float32Array, out: Float32Array) => void> = {
  add: (x, y, out) => { for (let i = 0; i < out.length; i++) out[i] = x[i]! + y[i]!; },
  sub: (x, y, out) => { for (let i = 0; i < out.length; i++) out[i] = x[i]! - y[i]!; },
  mul: (x, y, out) => { for (let i = 0; i < out.length; i++) out[i] = x[i]! * y[i]!; },
  div: (x, y, out) => { for (let i = 0; i < out.length; i++) out[i] = x[i]! / y[i]!; },
  pow: (x, y, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.pow(x[i]!, y[i]!); },
};

export const jsVector: VectorOps = {
  activate: (act, src, dst) => applyActivation(act, src, dst),
  binary(op, a, b, out) {
    if (a.data.length !== out.data.length || b.data.length !== out.data.length) return false;
    sameShape[op](a.data, b.data, out.data);
    return true;
  },
};
