/**
 * The worker thread: waits for a task to be posted on the control block, then claims and computes
 * chunks of it with the same task table and kernels as the main thread. Started by the host
 * (host.ts) when engine.ts asks for a second thread.
 */
import { ARGS, claimChunks, FAILED, KIND, QUIT, READY, SEQ, waitWhile, type WorkerSetup } from './control.js';
import { tasks, type Args } from './tasks.js';
import { threadContext } from './thread.js';

export function start(setup: WorkerSetup): void {
  const ctl = new Int32Array(setup.control);
  const t = threadContext(setup.memory, setup.kernel === 'wasm' ? setup.module : undefined, setup.workspace, 1);
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  let seen = 0;
  for (;;) {
    waitWhile(ctl, SEQ, seen);
    if (Atomics.load(ctl, QUIT) !== 0) return;
    seen = Atomics.load(ctl, SEQ);
    const task = tasks[Atomics.load(ctl, KIND)]!;
    const a: Args = {};
    task.fields.forEach((name, i) => (a[name] = ctl[ARGS + i]!));
    const done = claimChunks(ctl, seen, (chunk) => task.run(a, chunk, t));
    if (!done) Atomics.store(ctl, FAILED, 1);
  }
}
