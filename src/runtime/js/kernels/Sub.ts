import { binaryKernel } from './binary.js';

/** Sub: a - b, with broadcasting. */
export const Sub = binaryKernel('sub');
