import { binaryKernel } from './binary.js';

/** Div: a / b (int64: truncated), with broadcasting. */
export const Div = binaryKernel('div');
