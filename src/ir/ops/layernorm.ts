/**
 * layernorm: layer normalization at inference, (x - mean) / sqrt(var + eps) * weight + bias, the
 * mean and variance over one axis, weight and bias [C] (torch.nn.LayerNorm(C)). `layernorm`
 * normalizes the last axis (ConvNeXt's blocks, after `permute(0, 2, 3, 1)`); `layernorm2d` the
 * channels of [N, C, H, W] (torchvision's LayerNorm2d, in ConvNeXt's stem, downsampling and head).
 */
import { tensorType } from '../types.js';
import { bool, channels, lastDim, num, type OnnxAttrValue, type OnnxBuilder, type OpDef } from './op.js';

const eps = { name: 'eps', kind: 'real', doc: 'added to the variance', default: 1e-5, defaultDoc: '1e-5', check: (v: unknown) => ((v as number) > 0 ? undefined : `must be positive, found ${v}`) } as const;

type Emit = (opType: string, inputs: string[], attrs?: Record<string, OnnxAttrValue>) => void;

/** LayerNormalization over the last axis, its last node emitted by `last`; before opset 17, which has no such op, its arithmetic. */
function lastAxis(b: OnnxBuilder, x: string, epsilon: number, last: Emit): void {
  const [w, bias] = [b.param('weight'), b.param('bias')];
  if (b.opset >= 17) return last('LayerNormalization', [x, w, bias], { axis: { int: -1 }, epsilon: { float: epsilon } });
  const mean = b.node('mean', 'ReduceMean', [x], { axes: { ints: [-1] }, keepdims: { int: 1 } });
  const d = b.node('centered', 'Sub', [x, mean]);
  const variance = b.node('variance', 'ReduceMean', [b.node('square', 'Mul', [d, d])], { axes: { ints: [-1] }, keepdims: { int: 1 } });
  const std = b.node('std', 'Sqrt', [b.node('var_eps', 'Add', [variance, b.constant('eps', 'float32', [], [epsilon])])]);
  last('Add', [b.node('scaled', 'Mul', [b.node('normalized', 'Div', [d, std]), w]), bias]);
}

export const layernorm: OpDef = {
  name: 'layernorm',
  arity: 1,
  attrs: { eps: 1e-5, channels: false },
  syntax: [
    { name: 'layernorm', doc: 'layer normalization over the last axis (torch.nn.LayerNorm)', args: [eps] },
    { name: 'layernorm2d', doc: "layer normalization over the channels of [N, C, H, W] (torchvision's LayerNorm2d)", args: [eps], attrs: (a) => ({ eps: a.get('eps')!, channels: true }) },
  ],
  infer(a, [x]) {
    if (bool(a, 'channels') ? x!.shape.length !== 4 : x!.shape.length < 2)
      return { code: 'E0205', message: bool(a, 'channels') ? `layernorm2d needs a rank-4 input, found rank ${x!.shape.length}` : 'layernorm needs an input of rank 2 or more' };
    return tensorType(x!.shape);
  },
  params(a, [x]) {
    const c = [bool(a, 'channels') ? channels(x!) : lastDim(x!)];
    return [
      { role: 'weight', shape: c, trainable: true, init: 'ones' },
      { role: 'bias', shape: c, trainable: true, init: 'zeros' },
    ];
  },
  onnx: {
    ops: ['LayerNormalization', 'Transpose', 'ReduceMean', 'Sub', 'Mul', 'Add', 'Sqrt', 'Div'],
    lower(b, a) {
      if (!bool(a, 'channels')) return lastAxis(b, b.input(0), num(a, 'eps'), (op, ins, at) => b.output(op, ins, at));
      // over the channels of NCHW: to NHWC, the last axis, and back, as torchvision's LayerNorm2d does
      const nhwc = b.node('to_nhwc', 'Transpose', [b.input(0)], { perm: { ints: [0, 2, 3, 1] } });
      let normed = '';
      lastAxis(b, nhwc, num(a, 'eps'), (op, ins, at) => void (normed = b.node('norm', op, ins, at)));
      b.output('Transpose', [normed], { perm: { ints: [0, 3, 1, 2] } });
    },
  },
  pytorch: {
    form: (a) => {
      const eps = { name: 'eps', from: { attr: 'eps' }, type: 'float', default: 1e-5 } as const;
      return bool(a, 'channels')
        ? { kind: 'module', cls: 'LayerNorm2d', args: [{ from: { dim: 1 } }, eps] }
        : { kind: 'module', cls: 'nn.LayerNorm', args: [{ from: { dim: -1 } }, eps] };
    },
    helpers: {
      LayerNorm2d: `class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of [N, C, H, W] (torchvision's LayerNorm2d):
    to channels last, normalized over the last axis, and back."""

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = nn.functional.layer_norm(
            x, self.normalized_shape, self.weight, self.bias, self.eps
        )
        return x.permute(0, 3, 1, 2)
`,
    },
  },
};
