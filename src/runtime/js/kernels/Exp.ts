import { unaryKernel } from './unary.js';

/** Exp: e^x. */
export const Exp = unaryKernel(Math.exp);
