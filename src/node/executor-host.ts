/**
 * The JS executor's host in Node (src/runtime/js/host.ts): its second thread is a worker_threads
 * Worker loading engine/worker.ts (from source, through tsx's loader) or the compiled worker.js;
 * garbage is collected with V8's gc(); relaxed SIMD is switched on where it is behind a flag
 * (Node 20). The environment variables that choose the kernels are read here, never by the
 * executor: RESDSL_KERNEL=js|wasm and RESDSL_WASM_FMA=0.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { READY, type WorkerSetup } from '../runtime/js/engine/control.js';
import type { ExecutorHost, WorkerThread } from '../runtime/js/host.js';
import type { PrepareOptions } from '../runtime/js/plan.js';

/** URL of tsx's ESM register API, found from its package.json (tsx is a dev dependency). */
function tsxApiUrl(from: string): string {
  const pkgPath = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}

/**
 * Source of the worker: loads worker.ts (running from source, through tsx's loader) or the
 * compiled worker.js, and starts its loop with the setup passed as workerData; if it cannot, it
 * says so on the control block, which the engine is waiting on.
 */
function bootstrap(): string {
  const self = import.meta.url;
  const fromSource = self.endsWith('.ts');
  const workerUrl = new URL(fromSource ? '../runtime/js/engine/worker.ts' : '../runtime/js/engine/worker.js', self).href;
  const register = fromSource ? `(await import(${JSON.stringify(tsxApiUrl(self))})).register();` : '';
  return `const { workerData } = require('node:worker_threads');
(async () => { ${register} (await import(${JSON.stringify(workerUrl)})).start(workerData); })().catch((e) => {
  console.error('resdsl: the worker thread could not start:', e);
  const ctl = new Int32Array(workerData.control);
  Atomics.store(ctl, ${READY}, -1);
  Atomics.notify(ctl, ${READY});
});`;
}

let gc: (() => void) | undefined;

export const nodeExecutorHost: ExecutorHost = {
  startWorker(setup: WorkerSetup): WorkerThread {
    const worker = new Worker(bootstrap(), { eval: true, workerData: setup });
    // the process may end while the worker waits for a task
    worker.unref();
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
