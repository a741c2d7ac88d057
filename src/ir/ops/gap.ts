/** gap: global average pooling, [N, C, H, W] -> [N, C, 1, 1] (torchvision's AdaptiveAvgPool2d((1, 1))). */
import { tensorType } from '../types.js';
import { rankError, type OpDef, zeroMacs } from './op.js';

export const gap: OpDef = {
  name: 'gap',
  arity: 1,
  attrs: {},
  infer: (_a, [x]) => (x!.shape.length === 4 ? tensorType([x!.shape[0]!, x!.shape[1]!, 1, 1]) : rankError('gap', 4, x!)),
  params: () => [],
  macs: zeroMacs,
  lower: () => ({ opType: 'GlobalAveragePool', attrs: {} }),
};
