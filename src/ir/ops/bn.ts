/** bn: batch normalization at inference, per channel: (x - mean) / sqrt(var + eps) * weight + bias. */
import { tensorType } from '../types.js';
import { channels, num, type OpDef, zeroMacs } from './op.js';

export const bn: OpDef = {
  name: 'bn',
  arity: 1,
  attrs: { eps: 1e-5 },
  infer(a, [x]) {
    if (x!.shape.length < 2) return { code: 'E0205', message: `bn needs an input with a channel dimension, found rank ${x!.shape.length}` };
    if (!(num(a, 'eps') > 0)) return { code: 'E0109', message: `bn needs a positive eps, found ${num(a, 'eps')}` };
    return tensorType(x!.shape);
  },
  params(_a, [x]) {
    const c = [channels(x!)];
    return [
      { role: 'weight', shape: c, trainable: true, init: 'bn_weight' },
      { role: 'bias', shape: c, trainable: true, init: 'bn_bias' },
      { role: 'running_mean', shape: c, trainable: false, init: 'bn_mean' },
      { role: 'running_var', shape: c, trainable: false, init: 'bn_var' },
    ];
  },
  macs: zeroMacs,
  lower: (a) => ({ opType: 'BatchNormalization', attrs: { epsilon: { float: num(a, 'eps') } } }),
};
