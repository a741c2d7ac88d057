/**
 * conv: 2-D convolution with a square kernel, as torch.nn.Conv2d. Weight [out, in/groups, k, k],
 * optional bias [out]. Written `conv(out, k = 3, ...)`, `convK(out, ...)`, or, for a depthwise
 * convolution (groups = in), `dwconv(k = 3, ...)` / `dwconvK(...)`, whose output channels are the
 * input's (times `multiplier`).
 */
import { tensorType, type Attrs } from '../types.js';
import { bool, channels, num, rankError, type ArgDecl, type BoundArgs, type OpDef, type ParamSpec, type PyTorchForm } from './op.js';
import { spatial, squarePads } from './window.js';

/** Same size at stride 1 (and torchvision's choice at stride 2): dilation * (k - 1) / 2. */
const samePad = (a: BoundArgs) => Math.floor(((a.get('dilation') as number) * ((a.get('k') as number) - 1)) / 2);

const windowArgs: readonly ArgDecl[] = [
  { name: 'k', kind: 'int', doc: 'kernel size', check: 'positive', missing: { code: 'E0106', message: 'needs a kernel size', help: () => 'write conv(out, k = 3) or conv3(out)' } },
  { name: 'stride', kind: 'int', doc: 'stride', default: 1, check: 'positive' },
  { name: 'pad', kind: 'int', doc: 'zero padding on each side', default: samePad, defaultDoc: 'dilation * (k - 1) // 2', check: 'nonNegative' },
  { name: 'dilation', kind: 'int', doc: 'dilation', default: 1, check: 'positive' },
];

export const conv: OpDef = {
  name: 'conv',
  arity: 1,
  attrs: { out: 0, k: 3, stride: 1, pad: 1, dilation: 1, groups: 1, bias: false },
  naming: 'numbered',
  syntax: [
    {
      name: 'conv',
      doc: '2-D convolution (torch.nn.Conv2d)',
      sizeInName: 'k',
      args: [
        {
          name: 'out',
          kind: 'int',
          doc: 'output channels',
          positional: true,
          default: (_a, ctx) => ctx.blockOut,
          defaultDoc: "the block's out",
          check: 'positive',
          missing: { code: 'E0110', message: 'needs an output channel count', help: (w) => `write ${w}(64), or use it inside a block with an out parameter` },
        },
        ...windowArgs,
        { name: 'groups', kind: 'int', doc: 'groups', default: 1, check: 'positive' },
        { name: 'bias', kind: 'bool', doc: 'with a bias', default: false },
      ],
    },
    {
      name: 'dwconv',
      doc: 'depthwise convolution: conv with groups = in',
      sizeInName: 'k',
      args: [
        ...windowArgs,
        { name: 'multiplier', kind: 'int', doc: 'output channels per input channel', default: 1, check: 'positive' },
        { name: 'bias', kind: 'bool', doc: 'with a bias', default: false },
      ],
      attrs(a, ctx): Attrs {
        const cin = ctx.inChannels ?? 1;
        const { multiplier, ...rest } = Object.fromEntries(a);
        return { ...rest, out: cin * (multiplier as number), groups: cin };
      },
    },
  ],
  infer(a, [x]) {
    if (x!.shape.length !== 4) return rankError('conv', 4, x!);
    const cin = channels(x!);
    const out = num(a, 'out');
    const groups = num(a, 'groups');
    if (out < 1) return { code: 'E0109', message: `conv needs at least 1 output channel, found ${out}` };
    if (groups < 1 || cin % groups !== 0 || out % groups !== 0)
      return {
        code: 'E0204',
        message: `conv with ${groups} groups needs input channels (${cin}) and output channels (${out}) divisible by ${groups}`,
      };
    const hw = spatial('conv', x!.shape[2] as number, x!.shape[3] as number, {
      k: num(a, 'k'),
      stride: num(a, 'stride'),
      pad: num(a, 'pad'),
      dilation: num(a, 'dilation'),
      ceil: false,
    });
    if (!Array.isArray(hw)) return hw;
    return tensorType([x!.shape[0]!, out, hw[0], hw[1]]);
  },
  params(a, [x]) {
    const k = num(a, 'k');
    const out = num(a, 'out');
    const ps: ParamSpec[] = [{ role: 'weight', shape: [out, channels(x!) / num(a, 'groups'), k, k], trainable: true, init: 'conv_weight' }];
    if (bool(a, 'bias')) ps.push({ role: 'bias', shape: [out], trainable: true, init: 'conv_bias' });
    return ps;
  },
  macs(a, [x], y) {
    const k = num(a, 'k');
    return (channels(x!) / num(a, 'groups')) * k * k * channels(y) * (y.shape[2] as number) * (y.shape[3] as number);
  },
  onnx: {
    ops: ['Conv'],
    lower(b, a) {
      const [k, d, s] = [num(a, 'k'), num(a, 'dilation'), num(a, 'stride')];
      const inputs = [b.input(0), b.param('weight'), ...(bool(a, 'bias') ? [b.param('bias')] : [])];
      b.output('Conv', inputs, {
        dilations: { ints: [d, d] },
        group: { int: num(a, 'groups') },
        kernel_shape: { ints: [k, k] },
        pads: { ints: squarePads(num(a, 'pad')) },
        strides: { ints: [s, s] },
      });
    },
  },
  pytorch: {
    form: (): PyTorchForm => ({
      kind: 'module',
      cls: 'nn.Conv2d',
      args: [
        { from: { dim: 1 } },
        // a conv without its out gives the block's out; a depthwise conv the input's channels
        { from: { attr: 'out', derived: { conv: 'block_out', dwconv: 'in * multiplier' } } },
        { from: { attr: 'k' } },
        { name: 'stride', from: { attr: 'stride' }, default: 1 },
        { name: 'padding', from: { attr: 'pad', derived: 'dilation * (k - 1) // 2' }, default: 0 },
        { name: 'dilation', from: { attr: 'dilation' }, default: 1 },
        { name: 'groups', from: { attr: 'groups', derived: { dwconv: 'in' } }, default: 1 },
        { name: 'bias', from: { attr: 'bias' }, type: 'bool', default: true },
      ],
    }),
  },
};
