import { unaryKernel } from './unary.js';

/** Sqrt: square root (NaN for negatives). */
export const Sqrt = unaryKernel(Math.sqrt);
