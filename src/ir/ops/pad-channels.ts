/** pad_channels: zero channels added before and after ([N, C, H, W] -> [N, before + C + after, H, W]); option A shortcuts use it. */
import { tensorType } from '../types.js';
import { channels, noParams, num, rankError, type OpDef } from './op.js';

export const padChannels: OpDef = {
  name: 'pad_channels',
  arity: 1,
  attrs: { before: 0, after: 0 },
  infer(a, [x]) {
    if (x!.shape.length !== 4) return rankError('pad_channels', 4, x!);
    if (num(a, 'before') < 0 || num(a, 'after') < 0) return { code: 'E0109', message: 'pad_channels needs non-negative padding' };
    return tensorType([x!.shape[0]!, num(a, 'before') + channels(x!) + num(a, 'after'), x!.shape[2]!, x!.shape[3]!]);
  },
  params: noParams,
  onnx: {
    ops: ['Pad'],
    lower(b, a) {
      const pads = b.constant('pads', 'int64', [8], [0, num(a, 'before'), 0, 0, 0, num(a, 'after'), 0, 0]);
      b.output('Pad', [b.input(0), pads]);
    },
  },
  // a 1x1 convolution with a fixed 0/1 kernel: exact, and exported by torch.onnx as one Conv
  // (F.pad exports as ConstantOfShape, Slice and Pad)
  pytorch: {
    form: () => ({ kind: 'module', cls: 'PadChannels', args: [{ from: { dim: 1 } }, { from: { attr: 'before' } }, { from: { attr: 'after' } }] }),
    helpers: {
      PadChannels: `class PadChannels(nn.Module):
    \"\"\"Zero channels added before and after the channels of [N, C, H, W]
    (as in an option A shortcut), by a 1x1 convolution with a fixed 0/1
    kernel: exact, and exported by torch.onnx.export as one Conv (F.pad's
    export needs more operators). The kernel is not a weight: a buffer left
    out of the state_dict.\"\"\"

    def __init__(self, channels, before, after):
        super().__init__()
        kernel = torch.zeros(before + channels + after, channels, 1, 1)
        kernel[before:before + channels, :, 0, 0] = torch.eye(channels)
        self.register_buffer("kernel", kernel, persistent=False)

    def forward(self, x):
        return nn.functional.conv2d(x, self.kernel)
`,
    },
  },
};
