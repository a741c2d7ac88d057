import { unaryKernel } from './unary.js';

/** Relu: max(0, x). */
export const Relu = unaryKernel((x, y) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : 0;
  }
});
