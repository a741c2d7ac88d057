/** maxpool and avgpool: windowed pooling (ONNX output-size rule, optional ceil mode). avgpool counts padding like PyTorch's default. */
import { tensorType } from '../types.js';
import { bool, num, rankError, type OpDef, zeroMacs } from './op.js';
import { spatial, windowOut } from './window.js';

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
    lower(a, [x]) {
      const k = num(a, 'k');
      const s = num(a, 'stride');
      const pad = num(a, 'pad');
      const sizes = [x!.shape[2] as number, x!.shape[3] as number];
      const win = (ceil: boolean) => ({ k, stride: s, pad, dilation: 1, ceil });
      // ONNX's shape inference takes ceil mode without PyTorch's rule that drops a last window
      // starting in the padding (onnxruntime's kernels apply it): ceil_mode only where it adds a
      // window, and where one side adds one and the other drops one, the added one as end padding.
      const want = sizes.map((n) => windowOut(n, win(true)));
      const floor = sizes.map((n) => windowOut(n, win(false)));
      const onnxCeil = sizes.map((n) => Math.ceil((n + 2 * pad - k) / s) + 1);
      const includePad = name === 'avgpool' && bool(a, 'count_include_pad') && pad > 0;
      const ceil = bool(a, 'ceil') && want.some((o, i) => o !== floor[i]);
      // (counted padding would change an average: there ceil_mode stays, exact in onnxruntime's kernels)
      const exact = want.every((o, i) => o === onnxCeil[i]) || includePad;
      const endPad = (i: number) => (ceil && !exact ? Math.max(0, (want[i]! - 1) * s + k - sizes[i]! - 2 * pad) : 0);
      return {
        opType,
        attrs: {
          ...(ceil && exact ? { ceil_mode: { int: 1 } } : {}),
          ...(includePad ? { count_include_pad: { int: 1 } } : {}),
          kernel_shape: { ints: [k, k] },
          pads: { ints: [pad, pad, pad + endPad(0), pad + endPad(1)] },
          strides: { ints: [s, s] },
        },
      };
    },
  };
}

export const maxpool = pool('maxpool', 'MaxPool');
export const avgpool = pool('avgpool', 'AveragePool');
