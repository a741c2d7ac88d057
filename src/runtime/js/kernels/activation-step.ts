/**
 * The step of every activation node (Relu, Clip, HardSwish, HardSigmoid, Sigmoid, Gelu, Erf):
 * one input, one output of the same shape, computed in place when the input is read for the last
 * time, with the vector kernels of the engine (WebAssembly SIMD, shared with the worker thread).
 */
import type { AttrType } from '../attrs.js';
import type { Activation } from '../activation.js';
import { need } from '../inputs.js';
import { step, type Env, type Kernel, type PrepareContext } from '../kernel.js';
import type { Tensor } from '../tensor.js';
import type { Result } from '../../../onnx/read.js';
import { checkNode } from './arity.js';

/** A kernel for an activation read from the node by `read` (attributes already checked). */
export function activationKernel(allowed: Record<string, AttrType>, read: (ctx: PrepareContext) => Result<Activation>): Kernel {
  return (ctx) => {
    const c = checkNode(ctx, allowed, [1, 1], [1, 1]);
    if (!c.ok) return c;
    const act = read(ctx);
    if (!act.ok) return act;
    return step({ run: (values, env) => [activate(act.value, need(values, 0, ctx.label), env)] });
  };
}

/** The activation of x, in place when x is read for the last time. */
export function activate(act: Activation, x: Tensor, env: Env): Tensor {
  const y = env.output(x.dims, x);
  env.vector.activate(act, x.data, y.data);
  return y;
}
