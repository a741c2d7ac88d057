import { unaryKernel } from './unary.js';

/** Tanh: hyperbolic tangent. */
export const Tanh = unaryKernel(Math.tanh);
