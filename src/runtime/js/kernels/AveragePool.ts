import { averagePool } from './pool.js';

/** AveragePool (1-d, 2-d; pads, strides, ceil_mode, count_include_pad, auto_pad). */
export const AveragePool = averagePool;
