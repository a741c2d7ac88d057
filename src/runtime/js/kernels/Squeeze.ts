/**
 * Squeeze: the given axes (all axes of size 1 when none are given) removed; each must have size 1.
 * The output shares the input's data, float32 or int64.
 */
import { needValue, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';
import { axesAt, readAxes } from './axes.js';

export const Squeeze: Kernel = (ctx) => {
  const c = checkNode(ctx, ctx.opset < 13 ? { axes: 'ints' } : {}, [1, ctx.opset < 13 ? 1 : 2], [1, 1]);
  if (!c.ok) return c;
  const source = readAxes(ctx);
  if (!source.ok) return source;
  return step({
    consumed: source.value.consumed,
    run(inputs) {
      const x = needValue(inputs, 0, ctx.label);
      const r = x.dims.length;
      const axes = axesAt(source.value, inputs, ctx.label);
      const at = axes === undefined ? x.dims.flatMap((d, i) => (d === 1 ? [i] : [])) : axes.map((a) => (a < 0 ? a + r : a));
      if (at.some((a) => a < 0 || a >= r || x.dims[a] !== 1)) shapeError(ctx.label, `axes [${axes?.join(', ')}] do not name dimensions of size 1 of a rank-${r} input`);
      return [{ ...x, dims: x.dims.filter((_, i) => !at.includes(i)) }];
    },
  });
};
