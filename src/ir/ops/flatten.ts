/** flatten: [N, d1, d2, ...] -> [N, d1*d2*...] (torch.flatten(x, 1)). */
import { tensorType } from '../types.js';
import { elements, noParams, type OpDef } from './op.js';

export const flatten: OpDef = {
  name: 'flatten',
  arity: 1,
  attrs: {},
  syntax: [{ name: 'flatten', doc: 'all but the batch dimension into one', args: [] }],
  infer: (_a, [x]) => tensorType([x!.shape[0]!, elements(tensorType(x!.shape.slice(1)))]),
  params: noParams,
  onnx: { ops: ['Flatten'], lower: (b) => b.output('Flatten', [b.input(0)], { axis: { int: 1 } }) },
  pytorch: { form: () => ({ kind: 'module', cls: 'nn.Flatten', args: [] }) },
};
