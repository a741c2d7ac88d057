/** fc: fully connected layer, [N, in] -> [N, out], weight [out, in] and bias [out] as torch.nn.Linear. */
import { tensorType } from '../types.js';
import { bool, num, rankError, type OpDef, type ParamSpec } from './op.js';

export const fc: OpDef = {
  name: 'fc',
  arity: 1,
  attrs: { out: 0, bias: true },
  syntax: [
    {
      name: 'fc',
      doc: 'fully connected layer on [N, in] (torch.nn.Linear)',
      args: [
        { name: 'out', kind: 'int', doc: 'outputs', positional: true, check: 'positive', missing: { code: 'E0106', message: 'needs an output count', help: () => 'write fc(1000)' } },
        { name: 'bias', kind: 'bool', doc: 'with a bias', default: true },
      ],
    },
  ],
  infer(a, [x]) {
    if (x!.shape.length !== 2) return rankError('fc', 2, x!);
    if (num(a, 'out') < 1) return { code: 'E0109', message: `fc needs at least 1 output, found ${num(a, 'out')}` };
    return tensorType([x!.shape[0]!, num(a, 'out')]);
  },
  params(a, [x]) {
    const ps: ParamSpec[] = [{ role: 'weight', shape: [num(a, 'out'), x!.shape[1] as number], trainable: true, init: 'fc_weight' }];
    if (bool(a, 'bias')) ps.push({ role: 'bias', shape: [num(a, 'out')], trainable: true, init: 'fc_bias' });
    return ps;
  },
  macs: (a, [x]) => (x!.shape[1] as number) * num(a, 'out'),
  onnx: {
    ops: ['Gemm'],
    lower(b, a) {
      b.output('Gemm', [b.input(0), b.param('weight'), ...(bool(a, 'bias') ? [b.param('bias')] : [])], { transB: { int: 1 } });
    },
  },
  pytorch: {
    form: () => ({
      kind: 'module',
      cls: 'nn.Linear',
      args: [{ from: { dim: 1 } }, { from: { attr: 'out' } }, { name: 'bias', from: { attr: 'bias' }, type: 'bool', default: true }],
    }),
  },
};
