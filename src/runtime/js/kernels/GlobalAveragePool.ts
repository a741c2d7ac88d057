import { need, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';

/** GlobalAveragePool: the mean of each [n, c] plane; output [N, C, 1, ...]. */
export const GlobalAveragePool: Kernel = (ctx) => {
  const c = checkNode(ctx, {}, [1, 1], [1, 1]);
  if (!c.ok) return c;
  return step({
    run(inputs, env) {
      const x = need(inputs, 0, ctx.label);
      if (x.dims.length < 3) shapeError(ctx.label, 'the input needs at least one spatial axis');
      const planes = x.dims[0]! * x.dims[1]!;
      const size = planes === 0 ? 0 : x.data.length / planes;
      const y = env.output([x.dims[0]!, x.dims[1]!, ...x.dims.slice(2).map(() => 1)]);
      for (let p = 0; p < planes; p++) {
        let s = 0;
        for (let i = p * size; i < (p + 1) * size; i++) s += x.data[i]!;
        y.data[p] = s / size;
      }
      return [y];
    },
  });
};
