/**
 * linear: torch.nn.Linear over the last axis of a tensor of any rank (ConvNeXt's pointwise layers,
 * on [N, H, W, C] after `permute(0, 2, 3, 1)`): weight [out, in], bias [out]. On [N, in] it is `fc`.
 */
import { tensorType } from '../types.js';
import { bool, lastDim, num, type OpDef } from './op.js';
import { fc } from './fc.js';

export const linear: OpDef = {
  name: 'linear',
  arity: 1,
  attrs: { out: 0, bias: true },
  syntax: [
    {
      name: 'linear',
      doc: 'torch.nn.Linear over the last axis, of any rank',
      args: [
        { name: 'out', kind: 'int', doc: 'outputs', positional: true, check: 'positive', missing: { code: 'E0106', message: 'needs an output count', help: () => 'write linear(384)' } },
        { name: 'bias', kind: 'bool', doc: 'with a bias', default: true },
      ],
    },
  ],
  infer(a, [x]) {
    if (x!.shape.length < 2) return { code: 'E0205', message: `linear needs an input of rank 2 or more, found rank ${x!.shape.length}` };
    return tensorType([...x!.shape.slice(0, -1), num(a, 'out')]);
  },
  params: (a, [x]) => fc.params(a, [tensorType([x!.shape[0]!, lastDim(x!)])]),
  /** in * out for each position, as fc's. */
  macs(a, [x]) {
    let positions = 1;
    for (const d of x!.shape.slice(1, -1)) positions *= d as number;
    return positions * lastDim(x!) * num(a, 'out');
  },
  onnx: {
    ops: ['Gemm', 'Transpose', 'MatMul', 'Add'],
    lower(b, a, [x]) {
      if (x!.shape.length === 2) return fc.onnx!.lower(b, a, [x!]);
      // x @ W^T (+ b); the transpose of the constant weight is folded by every runtime
      const wt = b.node('weight_t', 'Transpose', [b.param('weight')], { perm: { ints: [1, 0] } });
      if (!bool(a, 'bias')) return b.output('MatMul', [b.input(0), wt]);
      b.output('Add', [b.node('matmul', 'MatMul', [b.input(0), wt]), b.param('bias')]);
    },
  },
  pytorch: {
    form: () => ({
      kind: 'module',
      cls: 'nn.Linear',
      args: [{ from: { dim: -1 } }, { from: { attr: 'out' } }, { name: 'bias', from: { attr: 'bias' }, type: 'bool', default: true }],
    }),
  },
};
