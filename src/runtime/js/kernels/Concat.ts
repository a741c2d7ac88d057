/** Concat along `axis` (negative from opset 11), of float32 values or of int64 ones (shapes). */
import { needValue, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { isFloat, numel, RunError, shapeText, type Value } from '../tensor.js';
import { checkNode } from './arity.js';

export const Concat: Kernel = (ctx) => {
  const c = checkNode(ctx, { axis: 'int' }, [1, Infinity], [1, 1]);
  if (!c.ok) return c;
  if (ctx.opset >= 4 && !ctx.attrs.has('axis')) return ctx.attrs.bad('axis', 'it is required');
  const axis = ctx.attrs.int('axis', 1);
  return step({
    run(inputs, env) {
      const xs = ctx.node.inputs.map((_, i) => needValue(inputs, i, ctx.label));
      const first = xs[0]!;
      const r = first.dims.length;
      if (axis < -r || axis >= r) shapeError(ctx.label, `axis ${axis} is out of range for rank ${r}`);
      const a = axis < 0 ? axis + r : axis;
      let total = 0;
      for (const x of xs) {
        const same = x.dims.length === r && x.dims.every((d, i) => i === a || d === first.dims[i]);
        if (!same) shapeError(ctx.label, `inputs of shapes ${shapeText(first.dims)} and ${shapeText(x.dims)} do not concatenate on axis ${a}`);
        if (isFloat(x) !== isFloat(first)) throw new RunError('E0704', `${ctx.label}: inputs of types float32 and int64 cannot be concatenated`);
        total += x.dims[a]!;
      }
      const dims = first.dims.slice();
      dims[a] = total;
      const y: Value = isFloat(first) ? env.output(dims) : { dims, data: new BigInt64Array(numel(dims)) };
      const outer = numel(dims.slice(0, a));
      let at = 0;
      for (let o = 0; o < outer; o++) {
        for (const x of xs) {
          const chunk = numel(x.dims.slice(a));
          (y.data as Float32Array).set((x.data as Float32Array).subarray(o * chunk, (o + 1) * chunk), at);
          at += chunk;
        }
      }
      return [y];
    },
  });
};
