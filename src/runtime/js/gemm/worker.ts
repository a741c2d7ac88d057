/**
 * The GEMM worker thread: waits for a job to be posted on the control block, then claims and
 * computes chunks of it with the same driver and kernels as the main thread. Started by engine.ts.
 */
import { chunksOf, claimChunks, FAILED, QUIT, readPosted, READY, SEQ, waitWhile, type WorkerSetup } from './control.js';
import { jsKernels, type GemmKernels } from './macro-js.js';
import { gemmRange } from './sgemm.js';
import { wasmKernels } from '../wasm/kernel.js';

export function start(setup: WorkerSetup): void {
  const ctl = new Int32Array(setup.control);
  const kernels: GemmKernels = setup.kernel === 'wasm' ? wasmKernels(setup.memory) : jsKernels;
  let view = new Float32Array(setup.memory.buffer);
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  let seen = 0;
  for (;;) {
    waitWhile(ctl, SEQ, seen);
    if (Atomics.load(ctl, QUIT) !== 0) return;
    seen = Atomics.load(ctl, SEQ);
    if (view.length * 4 !== setup.memory.buffer.byteLength) view = new Float32Array(setup.memory.buffer);
    const job = readPosted(ctl);
    const done = claimChunks(ctl, seen, chunksOf(job), (c) => gemmRange(job, view, kernels, setup.workspace, c.m0, c.m1, c.n0, c.n1));
    if (!done) Atomics.store(ctl, FAILED, 1);
  }
}
