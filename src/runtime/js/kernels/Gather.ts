/**
 * Gather: slices of the data along `axis` picked by int64 indices (negative ones count from the
 * end); the output shape is data's before the axis, then the indices', then data's after it. Data
 * may be float32 or int64 (a shape).
 */
import { needInt, needValue, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { isFloat, numel, type Value } from '../tensor.js';
import { checkNode } from './arity.js';

export const Gather: Kernel = (ctx) => {
  const c = checkNode(ctx, { axis: 'int' }, [2, 2], [1, 1]);
  if (!c.ok) return c;
  const axis = ctx.attrs.int('axis', 0);
  return step({
    run(inputs, env) {
      const x = needValue(inputs, 0, ctx.label);
      const idx = needInt(inputs, 1, ctx.label);
      const r = x.dims.length;
      if (axis < -r || axis >= r) shapeError(ctx.label, `axis ${axis} is out of range for rank ${r}`);
      const a = axis < 0 ? axis + r : axis;
      const n = x.dims[a]!;
      const outer = numel(x.dims.slice(0, a));
      const inner = numel(x.dims.slice(a + 1));
      const dims = [...x.dims.slice(0, a), ...idx.dims, ...x.dims.slice(a + 1)];
      const picks = Array.from(idx.data, (v) => {
        const i = Number(v);
        if (i < -n || i >= n) shapeError(ctx.label, `index ${i} is out of range for an axis of ${n}`);
        return i < 0 ? i + n : i;
      });
      const y: Value = isFloat(x) ? env.output(dims) : { dims, data: new BigInt64Array(numel(dims)) };
      const src = x.data;
      const dst = y.data;
      for (let o = 0, at = 0; o < outer; o++) {
        for (const p of picks) {
          const from = (o * n + p) * inner;
          for (let i = 0; i < inner; i++) dst[at++] = src[from + i]!;
        }
      }
      return [y];
    },
  });
};
