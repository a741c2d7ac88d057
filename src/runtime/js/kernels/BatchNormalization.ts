/**
 * BatchNormalization in inference mode: y = (x - mean) / sqrt(var + epsilon) * scale + B, per
 * channel (axis 1). Training mode and its extra outputs are rejected. When it follows a Conv with
 * constant parameters, fuse.ts folds it into the Conv instead.
 */
import { fail, type Result } from '../../../onnx/read.js';
import { need, shapeError } from '../inputs.js';
import { step, type Kernel, type PrepareContext } from '../kernel.js';
import { numel } from '../tensor.js';
import { checkNode } from './arity.js';

/** Attributes a BatchNormalization may carry and still be run (or fused) as inference. */
export function checkBatchNorm(ctx: PrepareContext): Result<void> {
  const c = checkNode(ctx, { epsilon: 'float', momentum: 'float', spatial: 'int', is_test: 'int', training_mode: 'int' }, [5, 5], [1, 5]);
  if (!c.ok) return c;
  const a = ctx.attrs;
  if (a.int('training_mode', 0) !== 0) return a.bad('training_mode', 'only inference is supported');
  if (a.int('spatial', 1) !== 1) return a.bad('spatial', 'only per-channel statistics are supported');
  if (ctx.node.outputs.filter((o) => o !== '').length > 1) {
    return fail('E0803', `${ctx.label}: the running-statistics outputs of training are not supported`);
  }
  return { ok: true, value: undefined };
}

/** Per-channel scale and shift from the four parameter vectors. */
export function bnScaleShift(scale: Float32Array, bias: Float32Array, mean: Float32Array, variance: Float32Array, eps: number) {
  const n = scale.length;
  const s = new Float32Array(n);
  const t = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    const k = scale[c]! / Math.sqrt(variance[c]! + eps);
    s[c] = k;
    t[c] = bias[c]! - mean[c]! * k;
  }
  return { scale: s, shift: t };
}

export const BatchNormalization: Kernel = (ctx) => {
  const c = checkBatchNorm(ctx);
  if (!c.ok) return c;
  const eps = ctx.attrs.float('epsilon', 1e-5);
  return step({
    run(inputs, env) {
      const x = need(inputs, 0, ctx.label);
      const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => need(inputs, i, ctx.label));
      if (x.dims.length < 2) shapeError(ctx.label, 'the input needs a channel axis');
      const channels = x.dims[1]!;
      for (const p of [scale!, bias!, mean!, variance!]) {
        if (p.data.length !== channels) shapeError(ctx.label, `a parameter has ${p.data.length} values for ${channels} channels`);
      }
      const { scale: s, shift: t } = bnScaleShift(scale!.data, bias!.data, mean!.data, variance!.data, eps);
      const y = env.output(x.dims, x);
      const inner = numel(x.dims.slice(2));
      const xs = x.data;
      const ys = y.data;
      for (let base = 0, ch = 0; base < xs.length; base += inner, ch = (ch + 1) % channels) {
        const k = s[ch]!;
        const b = t[ch]!;
        for (let i = base; i < base + inner; i++) ys[i] = xs[i]! * k + b;
      }
      return [y];
    },
  });
};
