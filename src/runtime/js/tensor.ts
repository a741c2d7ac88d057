/**
 * The executor's runtime values: dense tensors in row-major (C) order, NCHW for images. Float32
 * tensors carry the network's data; int64 tensors carry shapes and indices (Shape, Gather,
 * Unsqueeze, Concat, Reshape's target), are small, and live outside the arena.
 */
import type { Code } from '../../diagnostics/codes.js';

export { numel, shapeText, type Tensor } from '../../io/tensor.js';
import type { Tensor } from '../../io/tensor.js';

export interface Int64Tensor {
  dims: number[];
  data: BigInt64Array;
}

export type Value = Tensor | Int64Tensor;

export function isFloat(v: Value): v is Tensor {
  return v.data instanceof Float32Array;
}

/** Row-major strides of `dims`, in elements. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i]!;
  }
  return s;
}

/**
 * A failure while running a prepared plan: inputs that do not fit the model, or shapes that only
 * turn out inconsistent at run time. Carries a diagnostic code for the caller to report.
 */
export class RunError extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}
