/**
 * How a worker thread makes seeded tensors ahead of the main thread, which writes them in order
 * (seeded-weights.ts). Both threads know the same job list, in the order the writer will ask for
 * the tensors. The worker makes jobs into a ring of shared memory (bounded: a compile's peak memory
 * grows by the ring at most), the main thread copies each one out when the writer asks for it.
 *
 * Each job has a state word, and a thread takes a job only by changing it with compare-exchange,
 * so that each job is made once and nobody waits on a job that nobody is making:
 * - FREE: nobody has it. The worker claims it (MAKING) once it has room in the ring for it; the
 *   main thread, when the writer asks for a job still FREE, claims it (MAIN) and makes it itself.
 *   So a worker that the system does not schedule costs the main thread nothing but the checks.
 * - MAKING: the worker is making it; the main thread waits, for about as long as making it takes,
 *   then makes it itself (MAIN), so that a worker the system has descheduled does not hold it up.
 * - READY: in the ring at its offset; the main thread copies it out (READING), then marks it DONE,
 *   and the worker may reuse its room.
 * The worker keeps ahead of the writer, not beside it: when the writer has caught up with it, it
 * leaves the next LEAD samples' jobs to the main thread and goes on after them, so that the two make
 * different jobs at the same time instead of one waiting for the other.
 */
import { elementCount } from '../ir/tensor-values.js';
import { fillSeeded, type SeedJob } from '../weights/init.js';

/** Set to 1 by the main thread: the worker stops (its jobs still FREE are made by the main thread). */
export const STOP = 0;
/** Set to 1 by the worker when making a job threw (the job is FREE again: the main thread makes it, and meets the error itself). */
export const FAILED = 1;
/** The index of the last job the writer asked for (-1 before the first). */
export const REQUESTED = 2;
/** Incremented by the main thread each time it releases a job's room; the worker waits on it when the ring is full. */
export const RELEASED = 3;
/** Jobs the worker made (for statistics). */
export const MADE = 4;
const HEADER = 8;
/** The state words of the jobs start here, then their offsets in the ring. */
export const stateOf = (j: number): number => HEADER + 2 * j;
export const offsetOf = (j: number): number => HEADER + 2 * j + 1;
export const controlInts = (jobs: number): number => HEADER + 2 * jobs;

export const FREE = 0;
export const MAKING = 1;
export const READY = 2;
export const MAIN = 3;
export const READING = 4;
export const DONE = 5;

/** Samples (about 2 ms of making on this machine) that the worker leaves to the main thread when the writer has caught up with it. */
export const LEAD = 1 << 18;
/** How long the worker sleeps at most between looks at the control words while it waits for room. */
const POLL_MS = 50;

export interface RingSetup {
  control: SharedArrayBuffer;
  /** Float32 samples. */
  ring: SharedArrayBuffer;
  jobs: SeedJob[];
}

export const sampleCount = (job: SeedJob): number => elementCount(job.shape);

/**
 * The worker's side: makes the jobs in order into the ring, skipping those another thread has, until
 * every job is taken or the main thread says stop. Positions in the ring are counted without
 * wrapping (`head`, `tail`): the ring's room at `start` is `start % capacity`, a job never wraps
 * (it starts again at 0 if it would), and the jobs made and not yet released are [tail, head).
 */
export function fillRing(setup: RingSetup, fill: (job: SeedJob, out: Float32Array) => void = fillSeeded): void {
  const ctl = new Int32Array(setup.control);
  const ring = new Float32Array(setup.ring);
  const { jobs } = setup;
  const capacity = ring.length;
  // the samples before each job, to measure LEAD
  const before = new Float64Array(jobs.length + 1);
  jobs.forEach((job, j) => (before[j + 1] = before[j]! + sampleCount(job)));
  // the jobs made and not yet known released, in order, with where each ends
  const made: { job: number; end: number }[] = [];
  let front = 0;
  let head = 0;
  let tail = 0;
  /** Moves `tail` past the jobs the main thread is done with, and takes back one it passed without asking for it. */
  const release = () => {
    for (; front < made.length; front++) {
      const m = made[front]!;
      if (m.job < Atomics.load(ctl, REQUESTED)) Atomics.compareExchange(ctl, stateOf(m.job), READY, DONE);
      if (Atomics.load(ctl, stateOf(m.job)) !== DONE) break;
      tail = m.end;
    }
  };
  for (let j = 0; j < jobs.length; j++) {
    if (Atomics.load(ctl, STOP) !== 0) return;
    // caught up by the writer: leave it the next LEAD samples and go on after them
    const asked = Atomics.load(ctl, REQUESTED);
    if (asked >= 0 && j <= asked + 1) {
      while (j < jobs.length && before[j]! - before[asked]! < LEAD) j++;
      if (j === jobs.length) return;
    }
    const count = sampleCount(jobs[j]!);
    if (count > capacity || Atomics.load(ctl, stateOf(j)) !== FREE) continue;
    const start = (head % capacity) + count > capacity ? head + (capacity - (head % capacity)) : head;
    let room = true;
    for (;;) {
      release();
      if (start + count - tail <= capacity) break;
      const seen = Atomics.load(ctl, RELEASED);
      release();
      if (start + count - tail <= capacity) break;
      if (Atomics.load(ctl, STOP) !== 0 || Atomics.load(ctl, stateOf(j)) !== FREE) {
        room = false;
        break;
      }
      Atomics.wait(ctl, RELEASED, seen, POLL_MS);
    }
    if (!room || Atomics.compareExchange(ctl, stateOf(j), FREE, MAKING) !== FREE) continue;
    const offset = start % capacity;
    try {
      fill(jobs[j]!, ring.subarray(offset, offset + count));
    } catch (e) {
      Atomics.store(ctl, FAILED, 1);
      Atomics.compareExchange(ctl, stateOf(j), MAKING, FREE);
      Atomics.notify(ctl, stateOf(j));
      throw e;
    }
    Atomics.store(ctl, offsetOf(j), offset);
    // the main thread may have given up waiting and made it itself: then its room is free again
    if (Atomics.compareExchange(ctl, stateOf(j), MAKING, READY) !== MAKING) continue;
    Atomics.notify(ctl, stateOf(j));
    Atomics.add(ctl, MADE, 1);
    made.push({ job: j, end: start + count });
    head = start + count;
  }
}

/**
 * The main thread's side, for job `j` that the writer asks for now: copies it out of the ring into
 * `out` and returns true, or returns false when the caller must make it itself: it was FREE (it is
 * now MAIN); or it is not in the ring any more, having been taken already; or the worker has been
 * making it for `patienceMs` since the writer asked (a worker the system has descheduled, or one that
 * died): then it is the main thread's (MAIN), and the worker drops what it made.
 */
export function takeFromRing(ctl: Int32Array, ring: Float32Array, j: number, out: Float32Array, patienceMs: number): boolean {
  if (j > Atomics.load(ctl, REQUESTED)) Atomics.store(ctl, REQUESTED, j);
  const deadline = performance.now() + patienceMs;
  for (;;) {
    const state = Atomics.compareExchange(ctl, stateOf(j), FREE, MAIN);
    if (state === FREE) return false;
    if (state === MAKING) {
      const left = deadline - performance.now();
      if (left > 0) Atomics.wait(ctl, stateOf(j), MAKING, left);
      else if (Atomics.compareExchange(ctl, stateOf(j), MAKING, MAIN) === MAKING) return false;
      continue;
    }
    if (state !== READY || Atomics.compareExchange(ctl, stateOf(j), READY, READING) !== READY) return false;
    const offset = Atomics.load(ctl, offsetOf(j));
    out.set(ring.subarray(offset, offset + out.length));
    Atomics.store(ctl, stateOf(j), DONE);
    Atomics.add(ctl, RELEASED, 1);
    Atomics.notify(ctl, RELEASED);
    return true;
  }
}
