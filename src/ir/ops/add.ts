import { zeroMacs } from './op.js';
/** add: the residual sum of two tensors of the same type (no broadcasting in the language). */
import { formatType, sameType, tensorType } from '../types.js';
import type { OpDef } from './op.js';

export const add: OpDef = {
  name: 'add',
  arity: 2,
  attrs: {},
  infer: (_a, [x, y]) =>
    sameType(x!, y!)
      ? tensorType(x!.shape)
      : { code: 'E0201', message: `shapes of a residual add differ: ${formatType(x!)} and ${formatType(y!)}` },
  params: () => [],
  macs: zeroMacs,
  lower: () => ({ opType: 'Add', attrs: {} }),
};
