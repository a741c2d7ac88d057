import { binaryKernel } from './binary.js';

/** Pow: a ^ b (the exponent float32 or int64), with broadcasting. */
export const Pow = binaryKernel('pow');
