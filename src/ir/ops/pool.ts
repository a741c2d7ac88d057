/** maxpool and avgpool: windowed pooling (ONNX output-size rule, optional ceil mode). avgpool counts padding like PyTorch's default. */
import { tensorType } from '../types.js';
import { bool, num, rankError, type OpDef, zeroMacs } from './op.js';
import { spatial, winPads } from './window.js';

function pool(name: 'maxpool' | 'avgpool', opType: string): OpDef {
  const attrs: Record<string, number | boolean> =
    name === 'maxpool'
      ? { k: 2, stride: 2, pad: 0, ceil: false }
      : { k: 2, stride: 2, pad: 0, ceil: false, count_include_pad: true };
  return {
    name,
    arity: 1,
    attrs,
    infer(a, [x]) {
      if (x!.shape.length !== 4) return rankError(name, 4, x!);
      const k = num(a, 'k');
      if (num(a, 'pad') * 2 > k)
        return { code: 'E0109', message: `${name} padding (${num(a, 'pad')}) may be at most half the kernel (${k})` };
      const hw = spatial(name, x!.shape[2] as number, x!.shape[3] as number, {
        k,
        stride: num(a, 'stride'),
        pad: num(a, 'pad'),
        dilation: 1,
        ceil: bool(a, 'ceil'),
      });
      if (!Array.isArray(hw)) return hw;
      return tensorType([x!.shape[0]!, x!.shape[1]!, hw[0], hw[1]]);
    },
    params: () => [],
    macs: zeroMacs,
    lower(a) {
      const k = num(a, 'k');
      const s = num(a, 'stride');
      return {
        opType,
        attrs: {
          ...(bool(a, 'ceil') ? { ceil_mode: { int: 1 } } : {}),
          ...(name === 'avgpool' && bool(a, 'count_include_pad') && num(a, 'pad') > 0 ? { count_include_pad: { int: 1 } } : {}),
          kernel_shape: { ints: [k, k] },
          pads: { ints: winPads(num(a, 'pad')) },
          strides: { ints: [s, s] },
        },
      };
    },
  };
}

export const maxpool = pool('maxpool', 'MaxPool');
export const avgpool = pool('avgpool', 'AveragePool');
