/**
 * layer_scale: a learned per-channel scale of [N, C, H, W], its tensor [C, 1, 1] named after the
 * layer itself (ConvNeXt's `features.1.0.layer_scale`, an nn.Parameter of the block, initialized
 * to `init`).
 */
import { tensorType } from '../types.js';
import { channels, num, rankError, type OpDef } from './op.js';

export const layerScale: OpDef = {
  name: 'layer_scale',
  arity: 1,
  attrs: { init: 1e-6 },
  syntax: [
    {
      name: 'layer_scale',
      doc: "a learned scale per channel, [C, 1, 1] (ConvNeXt's layer scale)",
      args: [{ name: 'init', kind: 'real', doc: 'the initial scale', positional: true, default: 1e-6, defaultDoc: '1e-6' }],
    },
  ],
  infer: (_a, [x]) => (x!.shape.length === 4 ? tensorType(x!.shape) : rankError('layer_scale', 4, x!)),
  params: (a, [x]) => [{ role: '', shape: [channels(x!), 1, 1], trainable: true, init: `fill:${num(a, 'init')}` }],
  onnx: { ops: ['Mul'], lower: (b) => b.output('Mul', [b.input(0), b.param('')]) },
  // an nn.Parameter of the module around it, as torchvision's CNBlock has it: x * self.layer_scale
  pytorch: {
    form: () => ({ kind: 'parameter', shape: [{ dim: 1 }, { value: 1 }, { value: 1 }], fill: { from: { attr: 'init' }, type: 'float' } }),
  },
};
