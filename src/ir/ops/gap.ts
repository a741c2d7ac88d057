/** gap: global average pooling, [N, C, H, W] -> [N, C, 1, 1] (torch.nn.AdaptiveAvgPool2d(1)). */
import { tensorType } from '../types.js';
import { noParams, rankError, type OpDef } from './op.js';

export const gap: OpDef = {
  name: 'gap',
  arity: 1,
  attrs: {},
  syntax: [{ name: 'gap', doc: 'global average pooling to [N, C, 1, 1]', args: [] }],
  infer: (_a, [x]) => (x!.shape.length === 4 ? tensorType([x!.shape[0]!, x!.shape[1]!, 1, 1]) : rankError('gap', 4, x!)),
  params: noParams,
  onnx: { ops: ['GlobalAveragePool'], lower: (b) => b.output('GlobalAveragePool', [b.input(0)]) },
  pytorch: { form: () => ({ kind: 'module', cls: 'nn.AdaptiveAvgPool2d', args: [{ from: { value: 1 } }] }) },
};
