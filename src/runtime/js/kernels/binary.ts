/**
 * Elementwise functions of two inputs with NumPy broadcasting (Add, Mul), including the legacy
 * `broadcast`/`axis` attributes of opsets before 7, which align the second operand at `axis`.
 */
import { broadcastDims, forEachRow } from '../broadcast.js';
import { need, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { shapeText, type Tensor } from '../tensor.js';
import { checkNode } from './arity.js';

export type BinaryOp = 'add' | 'mul';

/** out = a op b over rows of the broadcast shape `dims`. */
export function binaryInto(op: BinaryOp, out: Float32Array, dims: number[], a: Tensor, b: Tensor): void {
  const x = a.data;
  const y = b.data;
  if (x.length === out.length && y.length === out.length) {
    if (op === 'add') for (let i = 0; i < out.length; i++) out[i] = x[i]! + y[i]!;
    else for (let i = 0; i < out.length; i++) out[i] = x[i]! * y[i]!;
    return;
  }
  forEachRow(dims, [a.dims, b.dims], (o, [ao, bo], [as, bs], len) => {
    let i = ao!;
    let j = bo!;
    const si = as!;
    const sj = bs!;
    if (op === 'add') for (let t = 0; t < len; t++, i += si, j += sj) out[o + t] = x[i]! + y[j]!;
    else for (let t = 0; t < len; t++, i += si, j += sj) out[o + t] = x[i]! * y[j]!;
  });
}

export function binaryKernel(op: BinaryOp): Kernel {
  return (ctx) => {
    const legacy = ctx.opset < 7;
    const c = checkNode(ctx, legacy ? { broadcast: 'int', axis: 'int' } : {}, [2, 2], [1, 1]);
    if (!c.ok) return c;
    const legacyBroadcast = legacy && ctx.attrs.int('broadcast', 0) !== 0;
    const axis = ctx.attrs.int('axis', -1);
    return step({
      run(inputs, env) {
        const a = need(inputs, 0, ctx.label);
        let b = need(inputs, 1, ctx.label);
        if (legacyBroadcast && b.dims.length < a.dims.length) {
          // Old broadcasting: b's dimensions line up with a's starting at axis.
          const start = axis < 0 ? a.dims.length - b.dims.length : axis;
          const trailing = a.dims.length - start - b.dims.length;
          if (trailing < 0) shapeError(ctx.label, `axis ${axis} does not fit shapes ${shapeText(a.dims)} and ${shapeText(b.dims)}`);
          b = { dims: [...b.dims, ...new Array<number>(trailing).fill(1)], data: b.data };
        }
        const dims = broadcastDims(a.dims, b.dims);
        if (dims === undefined) shapeError(ctx.label, `shapes ${shapeText(a.dims)} and ${shapeText(b.dims)} do not broadcast`);
        if (legacy && !legacyBroadcast && b.dims.join() !== a.dims.join()) {
          shapeError(ctx.label, `shapes ${shapeText(a.dims)} and ${shapeText(b.dims)} differ and broadcast is 0`);
        }
        // An operand as large as the output is not broadcast, so element i is read before it is written.
        const out = env.output(dims, a, b);
        binaryInto(op, out.data, dims, a, b);
        return [out];
      },
    });
  };
}
