import { binaryKernel } from './binary.js';

/** Add: a + b with broadcasting. */
export const Add = binaryKernel('add');
