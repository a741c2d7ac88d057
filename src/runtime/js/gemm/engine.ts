/**
 * Runs GEMM jobs on one thread, or on two: the main thread and one worker claim chunks of the
 * output (control.ts) until all are done, the main thread then waiting for the worker's last
 * chunk. Cutting the output does not change any sum's order, so one and two threads give
 * bit-identical results.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Arena } from '../arena.js';
import { chunksOf, claimChunks, controlInts, FAILED, FINISHED, JOB, postJob, QUIT, READY, SEQ, waitWhile, type WorkerSetup } from './control.js';
import { writeJob, type GemmJob } from './job.js';
import { jsKernels, type GemmKernels } from './macro-js.js';
import { gemmRange, workspaceFloats } from './sgemm.js';
import { wasmKernels } from '../wasm/kernel.js';
import { jsVector, type VectorOps } from '../vector.js';

export interface EngineOptions {
  threads: 1 | 2;
  kernel: 'js' | 'wasm';
}

/** How long the first job waits for the worker to start, in ms. */
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
  console.error('resdsl: the GEMM worker could not start:', e);
  const ctl = new Int32Array(workerData.control);
  Atomics.store(ctl, ${READY}, -1);
  Atomics.notify(ctl, ${READY});
});`;
}

/** Engines with a running worker. */
const live = new Set<GemmEngine>();

export async function disposeAllEngines(): Promise<void> {
  await Promise.all([...live].map((e) => e.dispose()));
}

export class GemmEngine {
  /** Elementwise and per-plane kernels. */
  readonly vector: VectorOps = jsVector;
  private readonly kernels: GemmKernels;
  private readonly workspace: number;
  private worker: Worker | undefined;
  private ctl: Int32Array | undefined;
  private seq = 0;

  constructor(
    private readonly arena: Arena,
    readonly options: EngineOptions,
  ) {
    this.kernels = options.kernel === 'wasm' ? wasmKernels(arena.memory) : jsKernels;
    this.workspace = arena.offsetOf(arena.alloc(workspaceFloats))!;
    if (options.threads === 2) this.startWorker();
  }

  private startWorker(): void {
    const control = new SharedArrayBuffer(controlInts * 4);
    this.ctl = new Int32Array(control);
    const setup: WorkerSetup = {
      memory: this.arena.memory,
      control,
      kernel: this.options.kernel,
      workspace: this.arena.offsetOf(this.arena.alloc(workspaceFloats))!,
    };
    this.worker = new Worker(bootstrap(), { eval: true, workerData: setup });
    this.worker.unref();
    live.add(this);
  }

  private workerReady(ctl: Int32Array): boolean {
    if (Atomics.load(ctl, READY) === 0) Atomics.wait(ctl, READY, 0, startTimeout);
    const state = Atomics.load(ctl, READY);
    if (state !== 1) throw new Error(state === 0 ? 'the GEMM worker did not start in time' : 'the GEMM worker failed to start');
    return true;
  }

  run(job: GemmJob): void {
    const f = this.arena.f32();
    const ctl = this.ctl;
    const chunks = chunksOf(job);
    if (ctl === undefined || chunks.length === 1 || !this.workerReady(ctl)) {
      gemmRange(job, f, this.kernels, this.workspace, 0, job.m, 0, job.n);
      return;
    }
    const seq = (this.seq = (this.seq + 1) & 0xffff);
    postJob(ctl, seq, chunks.length, () => writeJob(job, ctl, JOB));
    const ok = claimChunks(ctl, seq, chunks, (c) => gemmRange(job, f, this.kernels, this.workspace, c.m0, c.m1, c.n0, c.n1));
    for (let d = Atomics.load(ctl, FINISHED); d < chunks.length; d = Atomics.load(ctl, FINISHED)) waitWhile(ctl, FINISHED, d);
    if (!ok || Atomics.load(ctl, FAILED) !== 0) throw new Error('a GEMM chunk failed');
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
