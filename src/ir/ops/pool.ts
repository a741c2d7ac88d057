/**
 * maxpool and avgpool: windowed pooling (torch.nn.MaxPool2d / AvgPool2d: ONNX's output-size rule,
 * optional ceil mode). avgpool counts padding like PyTorch's default. Written `maxpool(k, ...)` or
 * `maxpoolK(...)`; the stride defaults to the kernel size.
 */
import { tensorType } from '../types.js';
import { bool, noParams, num, rankError, type ArgDecl, type OpDef } from './op.js';
import { spatial, windowOut } from './window.js';

function windowArgs(name: string): ArgDecl[] {
  return [
    {
      name: 'k',
      kind: 'int',
      doc: 'window size',
      positional: true,
      check: 'positive',
      missing: { code: 'E0106', message: 'needs a kernel size', help: () => `write ${name}2 or ${name}(k = 2)` },
    },
    { name: 'stride', kind: 'int', doc: 'stride', default: (a) => a.get('k'), defaultDoc: 'k', check: 'positive' },
    { name: 'pad', kind: 'int', doc: 'padding on each side', default: 0, check: 'nonNegative' },
    { name: 'ceil', kind: 'bool', doc: 'ceil mode for the output size', default: false },
  ];
}

function pool(name: 'maxpool' | 'avgpool', opType: 'MaxPool' | 'AveragePool', doc: string): OpDef {
  const avg = name === 'avgpool';
  return {
    name,
    arity: 1,
    attrs: avg ? { k: 2, stride: 2, pad: 0, ceil: false, count_include_pad: true } : { k: 2, stride: 2, pad: 0, ceil: false },
    syntax: [
      {
        name,
        doc,
        sizeInName: 'k',
        args: avg ? [...windowArgs(name), { name: 'count_include_pad', kind: 'bool', doc: 'padding counts in the average', default: true }] : windowArgs(name),
      },
    ],
    infer(a, [x]) {
      if (x!.shape.length !== 4) return rankError(name, 4, x!);
      const k = num(a, 'k');
      if (num(a, 'pad') * 2 > k) return { code: 'E0109', message: `${name} padding (${num(a, 'pad')}) may be at most half the kernel (${k})` };
      const hw = spatial(name, x!.shape[2] as number, x!.shape[3] as number, { k, stride: num(a, 'stride'), pad: num(a, 'pad'), dilation: 1, ceil: bool(a, 'ceil') });
      if (!Array.isArray(hw)) return hw;
      return tensorType([x!.shape[0]!, x!.shape[1]!, hw[0], hw[1]]);
    },
    params: noParams,
    onnx: {
      ops: [opType],
      lower(b, a, [x]) {
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
        const includePad = avg && bool(a, 'count_include_pad') && pad > 0;
        const ceil = bool(a, 'ceil') && want.some((o, i) => o !== floor[i]);
        // (counted padding would change an average: there ceil_mode stays, exact in onnxruntime's kernels)
        const exact = want.every((o, i) => o === onnxCeil[i]) || includePad;
        const endPad = (i: number) => (ceil && !exact ? Math.max(0, (want[i]! - 1) * s + k - sizes[i]! - 2 * pad) : 0);
        b.output(opType, [b.input(0)], {
          ...(ceil && exact ? { ceil_mode: { int: 1 } } : {}),
          ...(includePad ? { count_include_pad: { int: 1 } } : {}),
          kernel_shape: { ints: [k, k] },
          pads: { ints: [pad, pad, pad + endPad(0), pad + endPad(1)] },
          strides: { ints: [s, s] },
        });
      },
    },
    pytorch: {
      form: () => ({
        kind: 'module',
        cls: avg ? 'nn.AvgPool2d' : 'nn.MaxPool2d',
        args: [
          { from: { attr: 'k' } },
          { name: 'stride', from: { attr: 'stride', derived: 'k' }, default: { sameAs: 'k' } },
          { name: 'padding', from: { attr: 'pad' }, default: 0 },
          { name: 'ceil_mode', from: { attr: 'ceil' }, type: 'bool', default: false },
          ...(avg ? [{ name: 'count_include_pad', from: { attr: 'count_include_pad' }, type: 'bool', default: true } as const] : []),
        ],
      }),
    },
  };
}

export const maxpool = pool('maxpool', 'MaxPool', 'max pooling (torch.nn.MaxPool2d)');
export const avgpool = pool('avgpool', 'AveragePool', 'average pooling (torch.nn.AvgPool2d)');
