import { unaryKernel } from './unary.js';

/** Neg: -x. */
export const Neg = unaryKernel((v) => -v);
