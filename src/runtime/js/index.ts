/**
 * The JS reference executor for ONNX models of float32 CNNs (what resdsl emits, and PyTorch's
 * ResNet exports):
 *
 *   const plan = prepare(model, { threads: 2 });   // Result<Plan>: checks everything first
 *   if (plan.ok) {
 *     const out = run(plan.value, new Map([['input', { dims: [1, 3, 224, 224], data }]]));
 *     await dispose(plan.value);                   // stops its worker thread, if any
 *   }
 *
 * run() takes and returns Maps keyed by the model's value names, and throws a RunError (code
 * E0704) when inputs do not fit the model.
 */
import { disposeAllEngines } from './engine/engine.js';
import type { Plan } from './plan.js';

export { prepare, type Plan, type PrepareOptions } from './plan.js';
export { run } from './run.js';
export { RunError, type Int64Tensor, type Tensor, type Value } from './tensor.js';
export { supportedOps, type SupportedOp } from './ops.js';
export { readNpy, writeNpy } from '../../io/npy.js';

/** Stops the worker thread of `plan`, or of every plan when none is given. */
export async function dispose(plan?: Plan): Promise<void> {
  if (plan) await plan.engine.dispose();
  else await disposeAllEngines();
}
