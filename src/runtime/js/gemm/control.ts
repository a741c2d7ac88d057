/**
 * How the main thread and its worker share GEMM jobs, through a small shared Int32Array. A job is
 * cut into chunks (rows or columns of the output, the same cuts every time for the same job), and
 * both threads claim chunks until none is left, so that a worker the OS has not scheduled costs
 * nothing: the main thread then does every chunk. The claim word holds the job's sequence number
 * and chunk count with the next chunk, so a worker that read a job's fields while they were being
 * replaced cannot claim anything with them: a claim succeeds only while its job is unfinished, and
 * the main thread writes the next job only after that.
 */
import { jobFields, readJob, type GemmJob } from './job.js';
import { MR, NR } from './pack.js';

/** The main thread's sequence number of the current job (16 bits). */
export const SEQ = 0;
/** seq << 16 | chunk count << 8 | next chunk to claim. */
export const CLAIM = 1;
/** Chunks of the current job finished, by either thread. */
export const FINISHED = 2;
/** 0 while starting, 1 when ready, -1 if the worker failed to start. */
export const READY = 3;
/** Set to 1 to make the worker leave its loop. */
export const QUIT = 4;
/** Set to 1 by the worker if a chunk threw. */
export const FAILED = 5;
export const JOB = 8;
export const controlInts = JOB + jobFields.length;

export interface WorkerSetup {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  kernel: 'js' | 'wasm';
  /** Float offset of the worker's packing workspace in the arena. */
  workspace: number;
}

export interface Chunk {
  m0: number;
  m1: number;
  n0: number;
  n1: number;
}

/**
 * The chunks of a job. Each column chunk reads all of A and each row chunk packs all of B, so the
 * cut goes across the larger of the two: up to eight column ranges (multiples of NR) when there
 * are at least as many columns as rows, else up to four row ranges (multiples of MR).
 */
export function chunksOf(job: GemmJob): Chunk[] {
  const out: Chunk[] = [];
  if (job.n >= 8 * NR && job.n >= job.m) {
    const size = Math.max(4 * NR, Math.ceil(job.n / 8 / NR) * NR);
    for (let n0 = 0; n0 < job.n; n0 += size) out.push({ m0: 0, m1: job.m, n0, n1: Math.min(job.n, n0 + size) });
  } else {
    const size = Math.max(MR, Math.ceil(job.m / 4 / MR) * MR);
    for (let m0 = 0; m0 < job.m; m0 += size) out.push({ m0, m1: Math.min(job.m, m0 + size), n0: 0, n1: job.n });
  }
  return out;
}

/** Waits while ctl[index] === value: spinning first (a wake-up can take a time slice), then sleeping. */
export function waitWhile(ctl: Int32Array, index: number, value: number, spins = 20_000): void {
  for (let i = 0; i < spins; i++) if (Atomics.load(ctl, index) !== value) return;
  while (Atomics.load(ctl, index) === value) Atomics.wait(ctl, index, value);
}

/** Claims and runs chunks of job `seq` until none is left; false if a chunk threw. */
export function claimChunks(ctl: Int32Array, seq: number, chunks: Chunk[], run: (c: Chunk) => void): boolean {
  let ok = true;
  for (;;) {
    const v = Atomics.load(ctl, CLAIM);
    const next = v & 0xff;
    if (v >>> 16 !== seq || next >= ((v >>> 8) & 0xff)) return ok;
    if (Atomics.compareExchange(ctl, CLAIM, v, v + 1) !== v) continue;
    try {
      run(chunks[next]!);
    } catch {
      ok = false;
    }
    Atomics.add(ctl, FINISHED, 1);
    Atomics.notify(ctl, FINISHED);
  }
}

/** Posts job `seq` of `count` chunks: its fields, then a fresh claim word, then the sequence number. */
export function postJob(ctl: Int32Array, seq: number, count: number, write: () => void): void {
  write();
  Atomics.store(ctl, FINISHED, 0);
  Atomics.store(ctl, CLAIM, (seq << 16) | (count << 8));
  Atomics.store(ctl, SEQ, seq);
  Atomics.notify(ctl, SEQ);
}

/** The job the worker sees for the sequence number it read. */
export function readPosted(ctl: Int32Array): GemmJob {
  return readJob(ctl, JOB);
}
