/** add: the residual sum of two tensors of the same type (no broadcasting). Written as `PATH + OTHER`. */
import { formatType, sameType, tensorType } from '../types.js';
import { noParams, type OpDef } from './op.js';

export const add: OpDef = {
  name: 'add',
  arity: 2,
  attrs: {},
  infer: (_a, [x, y]) =>
    sameType(x!, y!)
      ? tensorType(x!.shape)
      : { code: 'E0201', message: `shapes of a residual add differ: ${formatType(x!)} and ${formatType(y!)}` },
  params: noParams,
  onnx: { ops: ['Add'], lower: (b) => b.output('Add', [b.input(0), b.input(1)]) },
  pytorch: { form: () => ({ kind: 'operator', op: '+' }) },
};
