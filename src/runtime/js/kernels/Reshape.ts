/**
 * Reshape (the `shape` input from opset 5, a constant or an int64 value computed at run time; the
 * attribute before): 0 copies the input's dimension (unless allowzero), -1 is inferred. The output
 * shares the input's data, float32 or int64.
 */
import { fail } from '../../../onnx/read.js';
import { intsOf, needInt, needValue, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { numel, shapeText } from '../tensor.js';
import { checkNode } from './arity.js';

export function reshapeDims(input: readonly number[], shape: readonly number[], allowZero: boolean): number[] | string {
  const out = shape.map((d, i) => (d === 0 && !allowZero ? input[i] ?? -2 : d));
  if (out.some((d) => d < -1 || !Number.isInteger(d))) return `shape ${shapeText(shape)} is invalid for input ${shapeText(input)}`;
  const unknown = out.indexOf(-1);
  if (unknown !== out.lastIndexOf(-1)) return `shape ${shapeText(shape)} has more than one -1`;
  const total = numel(input);
  if (unknown >= 0) {
    const known = numel(out.filter((d) => d !== -1));
    if (known === 0 || total % known !== 0) return `cannot infer the -1 of ${shapeText(shape)} for input ${shapeText(input)}`;
    out[unknown] = total / known;
  }
  if (numel(out) !== total) return `shape ${shapeText(shape)} does not hold the ${total} values of input ${shapeText(input)}`;
  return out;
}

export const Reshape: Kernel = (ctx) => {
  const old = ctx.opset < 5;
  const c = checkNode(ctx, old ? { shape: 'ints' } : { allowzero: 'int' }, old ? [1, 1] : [2, 2], [1, 1]);
  if (!c.ok) return c;
  let fixed: number[] | undefined;
  if (old) {
    fixed = ctx.attrs.ints('shape', []);
  } else {
    const t = ctx.constant(1);
    if (t !== undefined && (t.dims.length !== 1 || t.dataType !== 'int64')) return fail('E0803', `${ctx.label}: the shape input must be a 1-d int64 tensor`);
    if (t !== undefined) fixed = intsOf(t);
  }
  const allowZero = ctx.attrs.int('allowzero', 0) !== 0;
  if (allowZero && fixed && fixed.includes(0) && fixed.includes(-1)) {
    return ctx.attrs.bad('allowzero', 'a shape with both 0 and -1 is invalid with allowzero');
  }
  return step({
    consumed: old || fixed === undefined ? [] : [1],
    run(inputs) {
      const x = needValue(inputs, 0, ctx.label);
      const shape = fixed ?? Array.from(needInt(inputs, 1, ctx.label).data, Number);
      const dims = reshapeDims(x.dims, shape, allowZero);
      if (typeof dims === 'string') shapeError(ctx.label, dims);
      return [{ ...x, dims }];
    },
  });
};
