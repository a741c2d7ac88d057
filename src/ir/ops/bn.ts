/** bn: batch normalization at inference, per channel: (x - mean) / sqrt(var + eps) * weight + bias (torch.nn.BatchNorm2d). */
import { tensorType } from '../types.js';
import { channels, num, type OpDef } from './op.js';

export const bn: OpDef = {
  name: 'bn',
  arity: 1,
  attrs: { eps: 1e-5 },
  naming: 'numbered',
  syntax: [
    {
      name: 'bn',
      doc: 'batch normalization (torch.nn.BatchNorm2d)',
      args: [{ name: 'eps', kind: 'real', doc: 'added to the variance', default: 1e-5, defaultDoc: '1e-5', check: (v) => ((v as number) > 0 ? undefined : `must be positive, found ${v}`) }],
    },
  ],
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
  onnx: {
    ops: ['BatchNormalization'],
    lower(b, a) {
      const inputs = [b.input(0), ...['weight', 'bias', 'running_mean', 'running_var'].map((r) => b.param(r))];
      b.output('BatchNormalization', inputs, { epsilon: { float: num(a, 'eps') } });
    },
  },
  // BatchNorm1d for [N, C] and [N, C, L]; running statistics as buffers, updated in train()
  pytorch: {
    form: (_a, [x]) => ({
      kind: 'module',
      cls: x!.shape.length === 4 ? 'nn.BatchNorm2d' : 'nn.BatchNorm1d',
      args: [{ from: { dim: 1 } }, { name: 'eps', from: { attr: 'eps' }, type: 'float', default: 1e-5 }],
    }),
  },
};
