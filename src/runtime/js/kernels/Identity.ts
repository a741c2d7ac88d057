import { needValue } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';

/** Identity: the input itself (same buffer). */
export const Identity: Kernel = (ctx) => {
  const c = checkNode(ctx, {}, [1, 1], [1, 1]);
  if (!c.ok) return c;
  return step({ run: (inputs) => [needValue(inputs, 0, ctx.label)] });
};
