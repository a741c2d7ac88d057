import { needValue, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { numel } from '../tensor.js';
import { checkNode } from './arity.js';

/** Flatten: [d0..d(axis-1)] x [d(axis)..] as a 2-d view of the same data (float32 or int64). */
export const Flatten: Kernel = (ctx) => {
  const c = checkNode(ctx, { axis: 'int' }, [1, 1], [1, 1]);
  if (!c.ok) return c;
  const axis = ctx.attrs.int('axis', 1);
  if (ctx.opset < 11 && axis < 0) return ctx.attrs.bad('axis', 'negative axes need opset 11');
  return step({
    run(inputs) {
      const x = needValue(inputs, 0, ctx.label);
      const r = x.dims.length;
      if (axis < -r || axis > r) shapeError(ctx.label, `axis ${axis} is out of range for rank ${r}`);
      const a = axis < 0 ? axis + r : axis;
      return [{ ...x, dims: [numel(x.dims.slice(0, a)), numel(x.dims.slice(a))] }];
    },
  });
};
