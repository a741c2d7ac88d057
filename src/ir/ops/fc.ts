/** fc: fully connected layer, [N, in] -> [N, out], weight [out, in] and bias [out] as torch.nn.Linear. */
import { tensorType } from '../types.js';
import { bool, num, rankError, type OpDef, type ParamSpec } from './op.js';

export const fc: OpDef = {
  name: 'fc',
  arity: 1,
  attrs: { out: 0, bias: true },
  infer(a, [x]) {
    if (x!.shape.length !== 2) return rankError('fc', 2, x!);
    if (num(a, 'out') < 1) return { code: 'E0109', message: `fc needs at least 1 output, found ${num(a, 'out')}` };
    return tensorType([x!.shape[0]!, num(a, 'out')]);
  },
  params(a, [x]) {
    const inF = x!.shape[1] as number;
    const out = num(a, 'out');
    const fan = { in: inF, out };
    const ps: ParamSpec[] = [{ role: 'weight', shape: [out, inF], trainable: true, init: 'fc_weight', fan }];
    if (bool(a, 'bias')) ps.push({ role: 'bias', shape: [out], trainable: true, init: 'fc_bias', fan });
    return ps;
  },
  macs: (a, [x]) => (x!.shape[1] as number) * num(a, 'out'),
  lower: () => ({ opType: 'Gemm', attrs: { transB: { int: 1 } } }),
};
