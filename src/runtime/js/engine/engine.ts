/**
 * Runs the executor's heavy work (tasks.ts: GEMM, depthwise convolution, elementwise and
 * per-plane operations) on one thread, or on two: the main thread and one worker claim chunks of
 * each task (control.ts) until all are done, the main thread then waiting for the worker's last
 * chunk. Small tasks (one chunk) run on the main thread alone, without waking the worker. The
 * worker is started by the host (host.ts: worker_threads in Node, a Web Worker in a browser).
 */
import type { Arena } from '../arena.js';
import type { GemmJob } from '../gemm/job.js';
import { workspaceFloats } from '../gemm/sgemm.js';
import { claimChunks, controlInts, FAILED, FINISHED, maxArgs, postTask, QUIT, READY, SEQ, waitWhile, type WorkerSetup } from './control.js';
import { Task, tasks, type Args, type ThreadContext } from './tasks.js';
import { threadContext } from './thread.js';
import { compiledModule } from '../wasm/kernel.js';
import type { ExecutorHost, WorkerThread } from '../host.js';
import { EngineVector, type VectorOps } from './vector-ops.js';

export interface EngineOptions {
  threads: 1 | 2;
  kernel: 'js' | 'wasm';
  /** Whether the WebAssembly kernels use relaxed SIMD's multiply-add (wasm/kernel.ts's wasmFma). */
  fma: boolean;
  /** What starts the second thread (host.ts); needed for two threads. */
  host?: ExecutorHost;
}

/** How long the first task waits for the worker to start, in ms. */
const startTimeout = 60_000;

function checkStarted(state: number): void {
  if (state !== 1) throw new Error(state === 0 ? 'the worker thread did not start in time' : 'the worker thread failed to start');
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
  private worker: WorkerThread | undefined;
  private ctl: Int32Array | undefined;
  private seq = 0;
  /** Per-thread scratch blocks and their size in floats. */
  private scratch: Float32Array[] = [];

  constructor(
    readonly arena: Arena,
    readonly options: EngineOptions,
  ) {
    const module = options.kernel === 'wasm' ? compiledModule(options.fma) : undefined;
    this.main = threadContext(arena.memory, module, arena.offsetOf(arena.alloc(workspaceFloats))!, 0);
    this.vector = new EngineVector(this);
    if (options.threads === 2) this.startWorker(options.host, module);
  }

  private startWorker(host: ExecutorHost | undefined, module: WebAssembly.Module | undefined): void {
    if (!host) throw new Error('two threads need an ExecutorHost that starts the second one (PrepareOptions.host)');
    const control = new SharedArrayBuffer(controlInts * 4);
    this.ctl = new Int32Array(control);
    const setup: WorkerSetup = {
      memory: this.arena.memory,
      control,
      kernel: this.options.kernel,
      ...(module ? { module } : {}),
      workspace: this.arena.offsetOf(this.arena.alloc(workspaceFloats))!,
    };
    this.worker = host.startWorker(setup);
    live.add(this);
  }

  /**
   * Resolves once the worker thread runs (at once on one thread); rejects if it failed to start.
   * A browser starts a worker only when the thread that made it yields to its event loop: there,
   * await this before the first run (Node starts it while run() waits).
   */
  async ready(): Promise<void> {
    const t0 = performance.now();
    while (this.ctl && Atomics.load(this.ctl, READY) === 0 && performance.now() - t0 < startTimeout) await new Promise((r) => setTimeout(r, 2));
    if (this.ctl) checkStarted(Atomics.load(this.ctl, READY));
  }

  private workerReady(ctl: Int32Array): boolean {
    if (Atomics.load(ctl, READY) === 0) Atomics.wait(ctl, READY, 0, startTimeout);
    checkStarted(Atomics.load(ctl, READY));
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
