/**
 * What the executor needs from the platform it runs on and cannot do itself in portable
 * JavaScript: start its second thread, and (optionally) collect garbage or switch on relaxed SIMD.
 * Node's host is src/node/executor-host.ts (worker_threads, v8); a browser's is a Web Worker
 * (the playground's engine-worker.ts). Without a host the executor runs on one thread.
 */
import type { WorkerSetup } from './engine/control.js';

/** A started worker thread. */
export interface WorkerThread {
  /** Stops the thread (after the engine told it to leave its loop). */
  terminate(): Promise<void>;
}

export interface ExecutorHost {
  /**
   * Starts a thread that calls engine/worker.ts's `start(setup)`. The thread says it is running
   * by setting control word READY to 1 (to -1 if it failed to start); the engine waits for that.
   */
  startWorker(setup: WorkerSetup): WorkerThread;
  /** Collects garbage now (prepareLean, between weights); absent where a host cannot. */
  collectGarbage?(): void;
  /** Makes WebAssembly's relaxed SIMD available where it is behind a flag (Node 20). */
  enableRelaxedSimd?(): void;
}
