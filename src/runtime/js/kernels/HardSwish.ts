import { Act, activation } from '../activation.js';
import { activationKernel } from './activation-step.js';

/** HardSwish (opset 14): x * max(0, min(1, x / 6 + 1 / 2)). */
export const HardSwish = activationKernel({}, () => ({ ok: true, value: activation(Act.hardSwish) }));
