/**
 * shortcut: an unresolved residual shortcut from the block input to the shape of the main path's
 * output (attributes `out`, `stride`: the target channels and the spatial ratio). The shortcut
 * pass replaces it by identity, option A (subsample and zero-pad) or a projection (conv1 + bn),
 * by policy (`policy` attribute: '' for the compile-wide default, or 'A', 'B', 'C'). It is written
 * as a residual operand (`PATH + shortcut(A)`), which elaboration handles, so it has no syntax of
 * its own here, and it never reaches lowering. In PyTorch it is a call of `shortcut()`, which
 * resolves it as the pass does (src/passes/shortcut.ts) when the module is built.
 */
import { tensorType } from '../types.js';
import { noParams, num, rankError, type OpDef } from './op.js';
import { padChannels } from './pad-channels.js';

export const shortcut: OpDef = {
  name: 'shortcut',
  arity: 1,
  attrs: { out: 0, stride: 1, policy: '' },
  infer(a, [x]) {
    if (x!.shape.length !== 4) return rankError('shortcut', 4, x!);
    const s = num(a, 'stride');
    const h = x!.shape[2] as number;
    const w = x!.shape[3] as number;
    return tensorType([x!.shape[0]!, num(a, 'out'), Math.floor((h - 1) / s) + 1, Math.floor((w - 1) / s) + 1]);
  },
  params: noParams,
  // SHORTCUT_POLICY is the emitted file's constant: the compile's --shortcut
  pytorch: {
    form: () => ({
      kind: 'module',
      cls: 'shortcut',
      args: [
        { from: { dim: 1 } },
        { from: { attr: 'out' } },
        { from: { attr: 'stride' } },
        { from: { attr: 'policy', map: [['', 'auto']] }, type: 'str' },
      ],
    }),
    helpers: {
      ...padChannels.pytorch.helpers,
      shortcut: `def shortcut(in_channels, out_channels, stride, policy):
    """A residual shortcut as resdsl's shortcut pass resolves it (He et al.
    2015, section 3.3): the identity where the path keeps the shape (policies
    A and B); otherwise, under A, subsampling with the stride and zero
    channels; under B, and always under C, a projection: a 1x1 conv with the
    stride, then batch norm. Policy "auto" is SHORTCUT_POLICY."""
    if policy == "auto":
        policy = SHORTCUT_POLICY
    if policy != "C" and in_channels == out_channels and stride == 1:
        return nn.Identity()
    if policy == "A":
        layers = []
        if stride > 1:
            layers.append(nn.AvgPool2d(1, stride))
        if out_channels > in_channels:
            before = (out_channels - in_channels) // 2
            after = out_channels - in_channels - before
            layers.append(PadChannels(in_channels, before, after))
        return nn.Sequential(*layers)
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
        nn.BatchNorm2d(out_channels),
    )
`,
    },
  },
};
