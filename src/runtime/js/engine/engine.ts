/**
 * Runs the executor's heavy work (tasks.ts: GEMM, depthwise convolution, elementwise and
 * per-plane operations) on one thread, or on two: the main thread and one worker claim chunks of
 * each task (control.ts) until all are done, the main thread then waiting for the worker's last
 * chunk. Small tasks (one chunk) run on the main thread alone, without waking the worker.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Arena } from '../arena.js';
import type { GemmJob } from '../gemm/job.js';
import { workspaceFloats } from '../gemm/sgemm.js';
import { claimChunks, controlInts, FAILED, FINISHED, maxArgs, postTask, QUIT, READY, SEQ, waitWhile, type WorkerSetup } from './control.js';
import { Task, tasks, type Args, type ThreadContext } from './tasks.js';
import { threadContext } from './thread.js';
import { compiledModule } from '../wasm/kernel.js';
import { EngineVector, type VectorOps } from './vector-ops.js';

export interface EngineOptions {
  threads: 1 | 2;
  kernel: 'js' | 'wasm';
}

/** How long the first task waits for the worker to start, in ms. */
const startTimeout = 60_000;

/** URL of tsx's ESM register API, found from its package.json (tsx is a dev dependency). */
function tsxApiUrl(from: string): string {
  const pkgPath = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}

/**
 * Source of the worker: loads worker.ts (running from source, through tsx's loader) or the
 * compiled worker.js, and starts its loop with the setup passed as workerData.
 */
function bootstrap(): string {
  const self = import.meta.url;
  const fromSource = self.endsWith('.ts');
  const workerUrl = new URL(fromSource ? './worker.ts' : './worker.js', self).href;
  const register = fromSource ? `(await import(${JSON.stringify(tsxApiUrl(self))})).register();` : '';
  return `const { workerData } = require('node:worker_threads');
(async () => { ${register} (await import(${JSON.stringify(workerUrl)})).start(workerData); })().catch((e) => {
  console.error('resdsl: the worker thread could not start:', e);
  const ctl = new Int32Array(workerData.control);
  Atomics.store(ctl, ${READY}, -1);
  Atomics.notify(ctl, ${READY});
});`;
}

/** Engines with a running worker. */
const live = new Set<Engine>();

export async function disposeAllEngines(): Promise<void> {
  await Promise.all([...live].map((e) => e.dispose()));
}

export class Engine {
  /** Elementwise and per-plane operations on tensors, for kernels. */
  readonly vector: VectorOps;
  private readonly main: ThreadContext;
  private readonly args = new Int32Array(maxArgs);
  private worker: Worker | undefined;
  private ctl: Int32Array | undefined;
  private seq = 0;
  /** Per-thread scratch blocks and their size in floats. */
  private scratch: Float32Array[] = [];

  constructor(
    readonly arena: Arena,
    readonly options: EngineOptions,
  ) {
    this.main = threadContext(arena.memory, options.kernel, arena.offsetOf(arena.alloc(workspaceFloats))!, 0);
    this.vector = new EngineVector(this);
    if (options.threads === 2) this.startWorker();
  }

  private startWorker(): void {
    const control = new SharedArrayBuffer(controlInts * 4);
    this.ctl = new Int32Array(control);
    const setup: WorkerSetup = {
      memory: this.arena.memory,
      control,
      kernel: this.options.kernel,
      ...(this.options.kernel === 'wasm' ? { module: compiledModule() } : {}),
      workspace: this.arena.offsetOf(this.arena.alloc(workspaceFloats))!,
    };
    this.worker = new Worker(bootstrap(), { eval: true, workerData: setup });
    this.worker.unref();
    live.add(this);
  }

  private workerReady(ctl: Int32Array): boolean {
    if (Atomics.load(ctl, READY) === 0) Atomics.wait(ctl, READY, 0, startTimeout);
    const state = Atomics.load(ctl, READY);
    if (state !== 1) throw new Error(state === 0 ? 'the worker thread did not start in time' : 'the worker thread failed to start');
    return true;
  }

  /** Float offsets of a scratch block of `floats` for each thread (0: main, 1: worker). */
  scratchFor(floats: number): [number, number] {
    if ((this.scratch[0]?.length ?? -1) < floats) {
      for (const s of this.scratch) this.arena.release(s);
      this.scratch = [this.arena.alloc(floats), this.arena.alloc(this.ctl ? floats : 1)];
    }
    return [this.arena.offsetOf(this.scratch[0]!)!, this.arena.offsetOf(this.scratch[1]!)!];
  }

  /** Runs a task of kind `kind` with arguments `a` to completion. */
  run(kind: number, a: Args): void {
    const task = tasks[kind]!;
    const count = task.chunks(a);
    const ctl = this.ctl;
    if (ctl === undefined || count <= 1 || !this.workerReady(ctl)) {
      if (task.whole) task.whole(a, this.main);
      else for (let i = 0; i < count; i++) task.run(a, i, this.main);
      return;
    }
    task.fields.forEach((name, i) => (this.args[i] = a[name]!));
    const seq = (this.seq = (this.seq + 1) & 0xffff);
    postTask(ctl, seq, count, kind, this.args);
    const ok = claimChunks(ctl, seq, (chunk) => task.run(a, chunk, this.main));
    for (let d = Atomics.load(ctl, FINISHED); d < count; d = Atomics.load(ctl, FINISHED)) waitWhile(ctl, FINISHED, d);
    if (!ok || Atomics.load(ctl, FAILED) !== 0) throw new Error('a chunk of a task failed');
  }

  gemm(job: GemmJob): void {
    this.run(Task.gemm, job as unknown as Args);
  }

  /** Stops the worker, if any. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    if (!worker || !this.ctl) return;
    this.worker = undefined;
    live.delete(this);
    Atomics.store(this.ctl, QUIT, 1);
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
    this.ctl = undefined;
    await worker.terminate();
  }
}
