/** permute: the dimensions reordered (torch.permute; torchvision's ConvNeXt goes NCHW -> NHWC and back around its LayerNorm and Linear layers). */
import { tensorType } from '../types.js';
import { ints, noParams, type OpDef } from './op.js';

export const permute: OpDef = {
  name: 'permute',
  arity: 1,
  attrs: { dims: [] },
  syntax: [
    {
      name: 'permute',
      doc: 'reorder the dimensions: permute(0, 2, 3, 1) is NCHW to NHWC (torch.permute)',
      args: [{ name: 'dims', kind: 'ints', doc: 'the new order of the dimensions', positional: true, variadic: true, check: 'nonNegative', missing: { code: 'E0106', message: 'needs the new order of the dimensions', help: () => 'write permute(0, 2, 3, 1)' } }],
    },
  ],
  infer(a, [x]) {
    const dims = ints(a, 'dims');
    const rank = x!.shape.length;
    if (dims.length !== rank || [...dims].sort((p, q) => p - q).some((d, i) => d !== i))
      return { code: 'E0109', message: `permute needs each of the ${rank} dimensions 0 to ${rank - 1} once, found (${dims.join(', ')})` };
    if (dims[0] !== 0) return { code: 'E0109', message: 'permute keeps the batch dimension first', help: 'write permute(0, ...)' };
    return tensorType(dims.map((d) => x!.shape[d]!));
  },
  params: noParams,
  onnx: { ops: ['Transpose'], lower: (b, a) => b.output('Transpose', [b.input(0)], { perm: { ints: [...ints(a, 'dims')] } }) },
  pytorch: {
    form: () => ({ kind: 'module', cls: 'Permute', args: [{ from: { attr: 'dims' }, type: 'ints' }] }),
    helpers: {
      Permute: `class Permute(nn.Module):
    """The dimensions reordered (torchvision's Permute): Permute([0, 2, 3, 1])
    is NCHW to NHWC."""

    def __init__(self, dims):
        super().__init__()
        self.dims = list(dims)

    def forward(self, x):
        return torch.permute(x, self.dims)

    def extra_repr(self):
        return f"dims={self.dims}"
`,
    },
  },
};
