import { Act, activation } from '../activation.js';
import { activationKernel } from './activation-step.js';

/** HardSigmoid: max(0, min(1, alpha * x + beta)), alpha 0.2 and beta 0.5 by default. */
export const HardSigmoid = activationKernel({ alpha: 'float', beta: 'float' }, (ctx) => ({
  ok: true, value: activation(Act.hardSigmoid, ctx.attrs.float('alpha', 0.2), ctx.attrs.float('beta', 0.5)),
}));
