/**
 * Clip: min(max(x, min), max). Before opset 11 the bounds are attributes; from 11 they are optional
 * inputs, usually constants (relu6 has 0 and 6), else scalars read at run time. Where min > max
 * the result is max, as ONNX says.
 */
import { fail } from '../../../onnx/read.js';
import { Act, activation } from '../activation.js';
import { need, optional, shapeError } from '../inputs.js';
import { step, type Kernel, type PrepareContext } from '../kernel.js';
import { activate } from './activation-step.js';
import { checkNode } from './arity.js';

/** Bound i (1 = min, 2 = max) when constant or absent, else undefined (read at run time). */
function constantBound(ctx: PrepareContext, i: number, def: number): number | undefined | string {
  if ((ctx.node.inputs[i] ?? '') === '') return def;
  const t = ctx.constant(i);
  if (t === undefined) return undefined;
  if (t.dataType !== 'float32' || t.data.length !== 1) return `bound ${i === 1 ? 'min' : 'max'} must be one float32 value`;
  return (t.data as Float32Array)[0]!;
}

export const Clip: Kernel = (ctx) => {
  const old = ctx.opset < 11;
  const c = checkNode(ctx, old ? { min: 'float', max: 'float' } : {}, old ? [1, 1] : [1, 3], [1, 1]);
  if (!c.ok) return c;
  const lo = old ? ctx.attrs.float('min', -Infinity) : constantBound(ctx, 1, -Infinity);
  const hi = old ? ctx.attrs.float('max', Infinity) : constantBound(ctx, 2, Infinity);
  for (const b of [lo, hi]) if (typeof b === 'string') return fail('E0803', `${ctx.label}: ${b}`);
  return step({
    consumed: [lo, hi].flatMap((b, i) => (typeof b === 'number' && (ctx.node.inputs[i + 1] ?? '') !== '' ? [i + 1] : [])),
    run(inputs, env) {
      const at = (b: number | undefined | string, i: number): number => {
        if (typeof b === 'number') return b;
        const t = optional(inputs, i, ctx.label);
        if (t === undefined || t.data.length !== 1) shapeError(ctx.label, `bound ${i === 1 ? 'min' : 'max'} must be one value`);
        return t.data[0]!;
      };
      return [activate(activation(Act.clip, at(lo, 1), at(hi, 2)), need(inputs, 0, ctx.label), env)];
    },
  });
};
