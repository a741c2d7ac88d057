import { need, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';

/** GlobalAveragePool: the mean of each [n, c] plane (on the engine); output [N, C, 1, ...]. */
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
      if (planes > 0) env.vector.mean(x.data, y.data, planes, size);
      return [y];
    },
  });
};
