/**
 * The JS executor's host in a browser (src/runtime/js/host.ts): its second thread is a module Web
 * Worker (engine-worker.ts) started from the run worker. Sharing the executor's memory with it
 * needs a cross-origin isolated page (served with COOP and COEP headers, as `npm run playground`
 * does): elsewhere SharedArrayBuffer does not exist and the executor runs on one thread.
 */
import { READY } from '../../src/runtime/js/engine/control.js';
import type { ExecutorHost, WorkerSetup, WorkerThread } from '../../src/runtime/js/index.js';

export const browserExecutorHost: ExecutorHost = {
  startWorker(setup: WorkerSetup): WorkerThread {
    const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' });
    // a script that does not load never sets READY itself: the engine would wait a minute
    worker.addEventListener('error', () => {
      const ctl = new Int32Array(setup.control);
      Atomics.store(ctl, READY, -1);
      Atomics.notify(ctl, READY);
    });
    worker.postMessage(setup);
    return { terminate: async () => worker.terminate() };
  },
};

/** Two threads where memory can be shared with a worker (a cross-origin isolated page), else one. */
export function browserThreads(): 1 | 2 {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' ? 2 : 1;
}
