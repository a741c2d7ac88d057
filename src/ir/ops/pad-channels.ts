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
  pytorch: {
    form: () => ({ kind: 'module', cls: 'PadChannels', args: [{ from: { attr: 'before' } }, { from: { attr: 'after' } }] }),
    helpers: {
      PadChannels: `class PadChannels(nn.Module):
    """Zero channels added before and after those of [N, C, H, W] (as in an
    option A shortcut)."""

    def __init__(self, before, after):
        super().__init__()
        self.before = before
        self.after = after

    def forward(self, x):
        return nn.functional.pad(x, (0, 0, 0, 0, self.before, self.after))

    def extra_repr(self):
        return f"before={self.before}, after={self.after}"
`,
    },
  },
};
