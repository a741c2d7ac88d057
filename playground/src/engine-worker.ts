/**
 * The JS executor's second thread in a browser (started by executor-host.ts): takes the engine's
 * setup (its shared memory, control block and compiled kernels) and runs engine/worker.ts's loop,
 * which never returns to this worker's event loop. If it cannot start, it says so on the control
 * block, where the engine waits.
 */
import type { WorkerSetup } from '../../src/runtime/js/index.js';
import { READY } from '../../src/runtime/js/engine/control.js';
import { start } from '../../src/runtime/js/engine/worker.js';

const scope = self as unknown as Worker;
scope.onmessage = (e: MessageEvent<WorkerSetup>) => {
  try {
    start(e.data);
  } catch (err) {
    console.error('resdsl: the executor thread could not start:', err);
    const ctl = new Int32Array(e.data.control);
    Atomics.store(ctl, READY, -1);
    Atomics.notify(ctl, READY);
  }
};
