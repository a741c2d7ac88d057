/**
 * The executor's runtime value: a dense float32 tensor in row-major (C) order, NCHW for images.
 */
import type { Code } from '../../diagnostics/codes.js';

export { numel, shapeText, type Tensor } from '../../io/tensor.js';

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
