/** conv: 2-D convolution with a square kernel. Weight [out, in/groups, k, k], optional bias [out]. */
import { tensorType } from '../types.js';
import { bool, channels, num, rankError, type OpDef, type ParamSpec } from './op.js';
import { spatial, winPads } from './window.js';

export const conv: OpDef = {
  name: 'conv',
  arity: 1,
  attrs: { out: 0, k: 3, stride: 1, pad: 1, dilation: 1, groups: 1, bias: false },
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
    const cinPerGroup = channels(x!) / num(a, 'groups');
    const fan = { in: cinPerGroup * k * k, out: out * k * k };
    const ps: ParamSpec[] = [{ role: 'weight', shape: [out, cinPerGroup, k, k], trainable: true, init: 'conv_weight', fan }];
    if (bool(a, 'bias')) ps.push({ role: 'bias', shape: [out], trainable: true, init: 'conv_bias', fan });
    return ps;
  },
  macs(a, [x], y) {
    const k = num(a, 'k');
    return (channels(x!) / num(a, 'groups')) * k * k * channels(y) * (y.shape[2] as number) * (y.shape[3] as number);
  },
  lower(a) {
    const k = num(a, 'k');
    const d = num(a, 'dilation');
    const s = num(a, 'stride');
    return {
      opType: 'Conv',
      attrs: {
        dilations: { ints: [d, d] },
        group: { int: num(a, 'groups') },
        kernel_shape: { ints: [k, k] },
        pads: { ints: winPads(num(a, 'pad')) },
        strides: { ints: [s, s] },
      },
    };
  },
};
