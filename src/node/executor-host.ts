/**
 * The JS executor's host in Node (src/runtime/js/host.ts): its second thread is a worker_threads
 * Worker running engine/worker.ts (module-worker.ts);
 * garbage is collected with V8's gc(); relaxed SIMD is switched on where it is behind a flag
 * (Node 20). The environment variables that choose the kernels are read here, never by the
 * executor: RESDSL_KERNEL=js|wasm and RESDSL_WASM_FMA=0.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { startModuleWorker } from './module-worker.js';
import { READY, type WorkerSetup } from '../runtime/js/engine/control.js';
import type { ExecutorHost, WorkerThread } from '../runtime/js/host.js';
import type { PrepareOptions } from '../runtime/js/plan.js';

/** If the worker cannot start, it says so on the control block, which the engine is waiting on. */
const failedToStart = `console.error('resdsl: the worker thread could not start:', e);
  const ctl = new Int32Array(workerData.control);
  Atomics.store(ctl, ${READY}, -1);
  Atomics.notify(ctl, ${READY});`;

let gc: (() => void) | undefined;

export const nodeExecutorHost: ExecutorHost = {
  startWorker(setup: WorkerSetup): WorkerThread {
    // the process may end while the worker waits for a task (the worker is unref'd)
    const worker = startModuleWorker('../runtime/js/engine/worker', setup, failedToStart);
    return { terminate: async () => void (await worker.terminate()) };
  },
  /** Node's gc(), which --expose-gc would give; the flag is read when a context is created. */
  collectGarbage(): void {
    if (gc === undefined) {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
  },
  enableRelaxedSimd(): void {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  },
};

/** The executor's options in Node: this host, and the kernels the environment asks for. */
export function nodeExecutorOptions(env: NodeJS.ProcessEnv = process.env): Pick<PrepareOptions, 'host' | 'kernel' | 'fma'> {
  const kernel = env['RESDSL_KERNEL'];
  return {
    host: nodeExecutorHost,
    ...(kernel === 'js' || kernel === 'wasm' ? { kernel } : {}),
    ...(env['RESDSL_WASM_FMA'] === '0' ? { fma: false } : {}),
  };
}
