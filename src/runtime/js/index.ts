/**
 * The JS reference executor for ONNX models of float32 CNNs (what resdsl emits, and PyTorch's
 * ResNet exports):
 *
 *   const plan = prepare(model, { threads: 2, host }); // Result<Plan>: checks everything first
 *   if (plan.ok) {
 *     await ready(plan.value);                         // the worker thread runs (see ready())
 *     const out = run(plan.value, new Map([['input', { dims: [1, 3, 224, 224], data }]]));
 *     await dispose(plan.value);                       // stops its worker thread, if any
 *   }
 *
 * `host` (host.ts) starts the second thread: src/node/executor-host.ts's in Node, a Web Worker in
 * a browser; one thread needs none. run() takes and returns Maps keyed by the model's value
 * names, and throws a RunError (code E0704) when inputs do not fit the model.
 */
import { disposeAllEngines } from './engine/engine.js';
import type { Plan } from './plan.js';

export { prepare, type Plan, type PrepareOptions } from './plan.js';
export type { ExecutorHost, WorkerThread } from './host.js';
export type { WorkerSetup } from './engine/control.js';
export { run } from './run.js';
export { RunError, type Int64Tensor, type Tensor, type Value } from './tensor.js';
export { supportedOps, type SupportedOp } from './ops.js';
export { readNpy, writeNpy } from '../../io/npy.js';

/**
 * Resolves once the plan's worker thread runs (at once on one thread). In a browser, await it
 * before the first run(): a browser starts a worker only when the thread that made it yields.
 */
export function ready(plan: Plan): Promise<void> {
  return plan.engine.ready();
}

/** Stops the worker thread of `plan`, or of every plan when none is given. */
export async function dispose(plan?: Plan): Promise<void> {
  if (plan) await plan.engine.dispose();
  else await disposeAllEngines();
}
