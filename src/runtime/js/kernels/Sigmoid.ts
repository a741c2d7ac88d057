import { unaryKernel } from './unary.js';

/** Sigmoid: 1 / (1 + e^-x), written to stay finite for large |x|. */
export const Sigmoid = unaryKernel((x, y) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v >= 0) {
      y[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      y[i] = e / (1 + e);
    }
  }
});
