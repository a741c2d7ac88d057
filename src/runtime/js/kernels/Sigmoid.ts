import { Act, activation } from '../activation.js';
import { activationKernel } from './activation-step.js';

/** Sigmoid: 1 / (1 + e^-x). */
export const Sigmoid = activationKernel({}, () => ({ ok: true, value: activation(Act.sigmoid) }));
