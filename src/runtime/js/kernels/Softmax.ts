/**
 * Softmax. Before opset 13 the input is viewed as a matrix [d0..d(axis-1)] x [d(axis)..] and each
 * row is normalised (default axis 1); from opset 13, along the one axis (default -1).
 */
import { need, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { numel } from '../tensor.js';
import { checkNode } from './arity.js';

/** Softmax of `len` values at base, base+stride, ... */
function softmaxLine(x: Float32Array, y: Float32Array, base: number, len: number, stride: number): void {
  let max = -Infinity;
  for (let i = 0, p = base; i < len; i++, p += stride) if (x[p]! > max) max = x[p]!;
  let sum = 0;
  for (let i = 0, p = base; i < len; i++, p += stride) {
    const e = Math.exp(x[p]! - max);
    y[p] = e;
    sum += e;
  }
  for (let i = 0, p = base; i < len; i++, p += stride) y[p] = y[p]! / sum;
}

export const Softmax: Kernel = (ctx) => {
  const c = checkNode(ctx, { axis: 'int' }, [1, 1], [1, 1]);
  if (!c.ok) return c;
  const perAxis = ctx.opset >= 13;
  const axis = ctx.attrs.int('axis', perAxis ? -1 : 1);
  return step({
    run(inputs, env) {
      const x = need(inputs, 0, ctx.label);
      const r = x.dims.length;
      if (axis < -r || axis >= r) shapeError(ctx.label, `axis ${axis} is out of range for rank ${r}`);
      const a = axis < 0 ? axis + r : axis;
      const y = env.output(x.dims, x);
      if (!perAxis) {
        const len = numel(x.dims.slice(a));
        for (let base = 0; base < x.data.length; base += len) softmaxLine(x.data, y.data, base, len, 1);
        return [y];
      }
      const len = x.dims[a]!;
      const inner = numel(x.dims.slice(a + 1));
      const outer = numel(x.dims.slice(0, a));
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) softmaxLine(x.data, y.data, o * len * inner + i, len, inner);
      }
      return [y];
    },
  });
};
