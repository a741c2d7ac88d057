import { reduceKernel } from './reduce.js';

/** ReduceSum: the sum over some axes (an attribute before opset 13, an input from 13). */
export const ReduceSum = reduceKernel('sum', 13);
