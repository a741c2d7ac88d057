import { Act, activation } from '../activation.js';
import { activationKernel } from './activation-step.js';

/** Gelu (opset 20): x / 2 * (1 + erf(x / sqrt(2))), or its tanh approximation. */
export const Gelu = activationKernel({ approximate: 'string' }, (ctx) => {
  const how = ctx.attrs.string('approximate', 'none');
  if (how !== 'none' && how !== 'tanh') return ctx.attrs.bad('approximate', "expected 'none' or 'tanh'");
  return { ok: true, value: activation(how === 'none' ? Act.gelu : Act.geluTanh) };
});
