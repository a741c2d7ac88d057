/**
 * Elementwise math functions of one input that are not activations fused elsewhere (Sqrt, Exp,
 * Neg, Tanh): plain JS loops, computed in place when the input is read for the last time.
 */
import { need } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';

export function unaryKernel(fn: (v: number) => number): Kernel {
  return (ctx) => {
    const c = checkNode(ctx, {}, [1, 1], [1, 1]);
    if (!c.ok) return c;
    return step({
      run(inputs, env) {
        const x = need(inputs, 0, ctx.label);
        const y = env.output(x.dims, x);
        for (let i = 0; i < x.data.length; i++) y.data[i] = fn(x.data[i]!);
        return [y];
      },
    });
  };
}
