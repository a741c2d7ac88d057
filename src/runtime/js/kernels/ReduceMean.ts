import { reduceKernel } from './reduce.js';

/** ReduceMean: the mean over some axes (an attribute before opset 18, an input from 18). */
export const ReduceMean = reduceKernel('mean', 18);
