/** relu and sigmoid: elementwise activations, same shape in and out, no parameters. */
import { zeroMacs } from './op.js';
import { tensorType } from '../types.js';
import type { OpDef } from './op.js';

function activation(name: 'relu' | 'sigmoid', opType: string): OpDef {
  return {
    name,
    arity: 1,
    attrs: {},
    infer: (_a, [x]) => tensorType(x!.shape),
    params: () => [],
    macs: zeroMacs,
    lower: () => ({ opType, attrs: {} }),
  };
}

export const relu = activation('relu', 'Relu');
export const sigmoid = activation('sigmoid', 'Sigmoid');
