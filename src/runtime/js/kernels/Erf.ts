import { Act, activation } from '../activation.js';
import { activationKernel } from './activation-step.js';

/** Erf: the error function (float precision, see activation.ts). */
export const Erf = activationKernel({}, () => ({ ok: true, value: activation(Act.erf) }));
