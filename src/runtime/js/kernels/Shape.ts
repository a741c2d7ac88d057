/**
 * Shape: the input's dimensions as an int64 vector, optionally a slice [start, end) of them
 * (opset 15; negative positions count from the end, out-of-range ones are clamped).
 */
import { needValue } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';

export const Shape: Kernel = (ctx) => {
  const c = checkNode(ctx, ctx.opset >= 15 ? { start: 'int', end: 'int' } : {}, [1, 1], [1, 1]);
  if (!c.ok) return c;
  const start = ctx.attrs.int('start', 0);
  const end = ctx.attrs.has('end') ? ctx.attrs.int('end', 0) : undefined;
  return step({
    run(inputs) {
      const dims = needValue(inputs, 0, ctx.label).dims;
      const r = dims.length;
      const clamp = (p: number) => Math.min(r, Math.max(0, p < 0 ? p + r : p));
      const kept = dims.slice(clamp(start), end === undefined ? r : clamp(end));
      return [{ dims: [kept.length], data: BigInt64Array.from(kept, (d) => BigInt(d)) }];
    },
  });
};
