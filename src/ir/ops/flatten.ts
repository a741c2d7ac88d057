/** flatten: [N, d1, d2, ...] -> [N, d1*d2*...]. */
import { tensorType } from '../types.js';
import { elements, type OpDef, zeroMacs } from './op.js';

export const flatten: OpDef = {
  name: 'flatten',
  arity: 1,
  attrs: {},
  infer: (_a, [x]) => tensorType([x!.shape[0]!, elements(tensorType(x!.shape.slice(1)))]),
  params: () => [],
  macs: zeroMacs,
  lower: () => ({ opType: 'Flatten', attrs: { axis: { int: 1 } } }),
};
