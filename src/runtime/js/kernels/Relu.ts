import { Act, activation } from '../activation.js';
import { activationKernel } from './activation-step.js';

/** Relu: max(0, x). */
export const Relu = activationKernel({}, () => ({ ok: true, value: activation(Act.relu) }));
