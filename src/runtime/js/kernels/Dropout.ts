/**
 * Dropout at inference: the input unchanged. The optional mask output is all ones (true), as
 * float32. Training mode (a constant true `training_mode`, or the old `is_test` = 0) is rejected.
 */
import { fail } from '../../../onnx/read.js';
import type { AttrType } from '../attrs.js';
import { intsOf, need } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { checkNode } from './arity.js';

export const Dropout: Kernel = (ctx) => {
  const attrs: Record<string, AttrType> =
    ctx.opset < 7 ? { ratio: 'float', is_test: 'int' } : ctx.opset < 12 ? { ratio: 'float' } : { seed: 'int' };
  const c = checkNode(ctx, attrs, [1, ctx.opset < 12 ? 1 : 3], [1, 2]);
  if (!c.ok) return c;
  if (ctx.opset < 7 && ctx.attrs.int('is_test', 0) === 0 && ctx.attrs.has('is_test')) {
    return ctx.attrs.bad('is_test', 'only inference is supported');
  }
  const trainingInput = ctx.node.inputs[2] ?? '';
  if (trainingInput !== '') {
    const t = ctx.constant(2);
    if (t === undefined) return fail('E0803', `${ctx.label}: training_mode must be a constant`);
    if (intsOf(t).some((v) => v !== 0)) {
      return fail('E0803', `${ctx.label}: training_mode = true is not supported; only inference is`);
    }
  }
  const mask = (ctx.node.outputs[1] ?? '') !== '';
  return step({
    consumed: trainingInput !== '' ? [1, 2] : [1],
    run(inputs, env) {
      const x = need(inputs, 0, ctx.label);
      if (!mask) return [x];
      const m = env.output(x.dims);
      m.data.fill(1);
      return [x, m];
    },
  });
};
