import { maxPool } from './pool.js';

/** MaxPool (1-d, 2-d; pads, strides, dilations, ceil_mode, auto_pad); no Indices output. */
export const MaxPool = maxPool;
