/**
 * Elementwise functions of one input (Relu, Sigmoid), computed in place when the input is read
 * for the last time.
 */
import { need } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';

export function unaryKernel(fn: (data: Float32Array, out: Float32Array) => void): Kernel {
  return (ctx) => {
    const c = checkNode(ctx, {}, [1, 1], [1, 1]);
    if (!c.ok) return c;
    return step({
      run(inputs, env) {
        const x = need(inputs, 0, ctx.label);
        const y = env.output(x.dims, x);
        fn(x.data, y.data);
        return [y];
      },
    });
  };
}
