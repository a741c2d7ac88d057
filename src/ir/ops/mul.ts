/**
 * mul: the elementwise product of two tensors, broadcasting dimensions of size 1 (a [N, C, 1, 1]
 * gate over [N, C, H, W], as squeeze-and-excitation's `scale * input`). Written as `A * B`.
 */
import { formatType, tensorType, type Dim } from '../types.js';
import { noParams, type OpDef } from './op.js';

/** NumPy's broadcast of two shapes of one rank, or undefined where a pair of dimensions differs and neither is 1. */
export function broadcast(a: readonly Dim[], b: readonly Dim[]): Dim[] | undefined {
  if (a.length !== b.length) return undefined;
  const out: Dim[] = [];
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return undefined;
  }
  return out;
}

export const mul: OpDef = {
  name: 'mul',
  arity: 2,
  attrs: {},
  infer(_a, [x, y]) {
    const shape = broadcast(x!.shape, y!.shape);
    return shape
      ? tensorType(shape)
      : { code: 'E0207', message: `shapes of a product do not broadcast: ${formatType(x!)} and ${formatType(y!)}`, help: 'a gate has the shape [N, C, 1, 1] of the tensor it scales' };
  },
  params: noParams,
  onnx: { ops: ['Mul'], lower: (b) => b.output('Mul', [b.input(0), b.input(1)]) },
  pytorch: { form: () => ({ kind: 'operator', op: '*' }) },
};
