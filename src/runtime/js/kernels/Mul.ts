import { binaryKernel } from './binary.js';

/** Mul: a * b with broadcasting. */
export const Mul = binaryKernel('mul');
