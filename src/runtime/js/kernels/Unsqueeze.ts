/**
 * Unsqueeze: dimensions of size 1 inserted at the given axes of the output (negative ones count
 * from the end of the output). The output shares the input's data, float32 or int64.
 */
import { needValue, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';
import { axesAt, readAxes } from './axes.js';

export const Unsqueeze: Kernel = (ctx) => {
  const c = checkNode(ctx, ctx.opset < 13 ? { axes: 'ints' } : {}, [1, ctx.opset < 13 ? 1 : 2], [1, 1]);
  if (!c.ok) return c;
  const source = readAxes(ctx);
  if (!source.ok) return source;
  return step({
    consumed: source.value.consumed,
    run(inputs) {
      const x = needValue(inputs, 0, ctx.label);
      const axes = axesAt(source.value, inputs, ctx.label);
      if (axes === undefined) shapeError(ctx.label, 'axes are required');
      const r = x.dims.length + axes.length;
      const at = axes.map((a) => (a < 0 ? a + r : a));
      if (at.some((a) => a < 0 || a >= r) || new Set(at).size !== at.length) shapeError(ctx.label, `axes [${axes.join(', ')}] are invalid for an output of rank ${r}`);
      const rest = [...x.dims];
      const dims = Array.from({ length: r }, (_, i) => (at.includes(i) ? 1 : rest.shift()!));
      return [{ ...x, dims }];
    },
  });
};
