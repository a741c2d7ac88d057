/**
 * MatMul with NumPy semantics: 1-d operands get a dimension added (and removed from the result),
 * leading dimensions broadcast.
 */
import { broadcastDims, forEachRow } from '../broadcast.js';
import { need, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { shapeText } from '../tensor.js';
import { checkNode } from './arity.js';
import { matmulInto } from './dense.js';

export const MatMul: Kernel = (ctx) => {
  const c = checkNode(ctx, {}, [2, 2], [1, 1]);
  if (!c.ok) return c;
  return step({
    run(inputs, env) {
      const a = need(inputs, 0, ctx.label);
      const b = need(inputs, 1, ctx.label);
      if (a.dims.length === 0 || b.dims.length === 0) shapeError(ctx.label, 'operands must have at least one dimension');
      const ad = a.dims.length === 1 ? [1, a.dims[0]!] : a.dims;
      const bd = b.dims.length === 1 ? [b.dims[0]!, 1] : b.dims;
      const [m, k] = [ad[ad.length - 2]!, ad[ad.length - 1]!];
      const [kb, n] = [bd[bd.length - 2]!, bd[bd.length - 1]!];
      const batch = broadcastDims(ad.slice(0, -2), bd.slice(0, -2));
      if (k !== kb || batch === undefined) shapeError(ctx.label, `shapes ${shapeText(a.dims)} and ${shapeText(b.dims)} do not multiply`);
      const dims = [...batch, m, n];
      if (a.dims.length === 1) dims.splice(dims.length - 2, 1);
      if (b.dims.length === 1) dims.splice(dims.length - 1, 1);
      const y = env.output(dims);
      // Walk the batch: each "row" of the batch shape with a trailing 1 is one matrix product.
      const one = (d: number[]) => [...d.slice(0, -2), 1];
      let out = 0;
      forEachRow([...batch, 1], [one(ad), one(bd)], (_o, [ao, bo]) => {
        matmulInto(y.data, out, { data: a.data, off: ao! * m * k, rs: k, cs: 1 }, { data: b.data, off: bo! * k * n, rs: n, cs: 1 }, m, k, n, 1);
        out += m * n;
      });
      return [y];
    },
  });
};
