/**
 * Seeded tensors made on two threads (src/node/seeded-weights.ts, weight-ring.ts): the values are
 * fillSeeded's whichever thread makes them, in every order the writer asks; the ring's protocol
 * alone, in one thread (a worker's claims, the main thread's takes, a worker that never finishes).
 * The worker runs from source here, through tsx's loader, as the executor's does.
 */
import { describe, expect, it } from 'vitest';
import { WeightWorker, weightWorkerFor } from '../../src/node/seeded-weights.js';
import { controlInts, DONE, FREE, MAIN, MAKING, READY, REQUESTED, fillRing, stateOf, takeFromRing } from '../../src/node/weight-ring.js';
import { fillSeeded, type SeedJob } from '../../src/weights/init.js';

const conv = (name: string, out: number, inCh: number, k = 3): SeedJob => ({ seed: 7, name, init: 'conv_weight', shape: [out, inCh, k, k] });
const expected = (job: SeedJob): Float32Array => {
  const a = new Float32Array(job.shape.reduce((p, d) => p * d, 1));
  fillSeeded(job, a);
  return a;
};
const sizeOf = (job: SeedJob) => job.shape.reduce((p, d) => p * d, 1);

/** Waits (without blocking the worker) until the worker has made `n` tensors, or the time runs out. */
async function madeAtLeast(w: WeightWorker, n: number, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (w.made < n && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 5));
}

describe('weightWorkerFor', () => {
  it('uses the worker by default on 4 processors or more, never with RESDSL_WEIGHT_WORKER=0, always with =1 or =stats', () => {
    expect(weightWorkerFor({}, 2)).toBeUndefined();
    expect(weightWorkerFor({}, 4)).toBeInstanceOf(WeightWorker);
    expect(weightWorkerFor({ RESDSL_WEIGHT_WORKER: '0' }, 16)).toBeUndefined();
    expect(weightWorkerFor({ RESDSL_WEIGHT_WORKER: '1' }, 1)).toBeInstanceOf(WeightWorker);
    expect(weightWorkerFor({ RESDSL_WEIGHT_WORKER: 'stats' }, 2)).toBeInstanceOf(WeightWorker);
  });
});

describe('WeightWorker', () => {
  it('gives every tensor the values of one thread, through a ring smaller than the tensors together', async () => {
    const jobs = Array.from({ length: 24 }, (_, i) => conv(`layer${i}.conv.weight`, 16 + (i % 3) * 8, 16));
    // room for two of the largest tensors: the worker waits for room, reuses it and starts again at the ring's beginning
    const w = new WeightWorker({ ringBytes: { min: 0, max: 4 * 3 * sizeOf(jobs[2]!) + 40 }, minPlannedSamples: 0 });
    try {
      const producers = jobs.map((j) => w.make(j));
      w.plan(jobs.map((j) => j.name));
      await madeAtLeast(w, 2);
      for (const [i, job] of jobs.entries()) {
        const out = new Float32Array(sizeOf(job)).fill(Number.NaN);
        producers[i]!(out);
        expect(out).toEqual(expected(job));
      }
    } finally {
      const report = w.close();
      expect(report.planned).toBe(24);
      expect(report.fromWorker).toBeGreaterThan(0);
      expect(report.failure).toBeUndefined();
    }
  });

  it('gives the same values asked out of order, twice, or not at all, and for tensors outside the plan', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => conv(`b${i}.weight`, 32, 8));
    const late = conv('late.weight', 32, 8);
    const w = new WeightWorker({ ringBytes: { min: 0, max: 4 * 4 * sizeOf(jobs[0]!) }, minPlannedSamples: 0 });
    try {
      const producers = new Map(jobs.map((j) => [j.name, w.make(j)]));
      const lateProducer = w.make(late);
      w.plan(['nothing.here', ...jobs.map((j) => j.name)]);
      await madeAtLeast(w, 4);
      // 3 and 5 are never asked for: the worker takes their room back once the writer has passed them
      for (const i of [1, 0, 2, 4, 4, 7, 6, 8, 9, 11, 10]) {
        const out = new Float32Array(sizeOf(jobs[i]!));
        producers.get(jobs[i]!.name)!(out);
        expect(out).toEqual(expected(jobs[i]!));
      }
      const out = new Float32Array(sizeOf(late));
      lateProducer(out);
      expect(out).toEqual(expected(late));
    } finally {
      expect(w.close().failure).toBeUndefined();
    }
  });

  it('leaves small tensors and constant fills to the thread that asks, and makes the tensors of an unplanned maker there too', () => {
    const w = new WeightWorker();
    try {
      const bias: SeedJob = { seed: 1, name: 'fc.bias', init: 'fc_bias', shape: [10], weightShape: [10, 64] };
      const ones: SeedJob = { seed: 1, name: 'bn.weight', init: 'bn_weight', shape: [4096] };
      const big = conv('c.weight', 64, 64);
      for (const job of [bias, ones, big]) {
        const out = new Float32Array(sizeOf(job));
        w.make(job)(out); // before any plan: made here
        expect(out).toEqual(expected(job));
      }
    } finally {
      expect(w.close()).toEqual({ planned: 0, fromWorker: 0 });
    }
  });

  it('starts no thread for a plan of fewer samples than its threshold, and makes every tensor here', () => {
    const jobs = Array.from({ length: 8 }, (_, i) => conv(`s${i}.weight`, 64, 64));
    const w = new WeightWorker({ minPlannedSamples: 8 * sizeOf(jobs[0]!) + 1 });
    const producers = jobs.map((j) => w.make(j));
    w.plan(jobs.map((j) => j.name));
    for (const [i, job] of jobs.entries()) {
      const out = new Float32Array(sizeOf(job));
      producers[i]!(out);
      expect(out).toEqual(expected(job));
    }
    expect(w.close()).toEqual({ planned: 0, fromWorker: 0 });
  });

  it('meets the error of a tensor that cannot be made as one thread would, and says the worker failed', async () => {
    const bad: SeedJob = { seed: 1, name: 'bad.weight', init: 'conv_weight', shape: [64, 64] }; // a conv weight of rank 2
    const good = conv('good.weight', 64, 64);
    const w = new WeightWorker({ minPlannedSamples: 0 });
    const produceBad = w.make(bad);
    const produceGood = w.make(good);
    w.plan([bad.name, good.name]);
    const t0 = Date.now();
    while (!w.failed && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 5)); // it fails on the first and stops
    expect(() => produceBad(new Float32Array(64 * 64))).toThrow(/rank below 3/);
    const out = new Float32Array(sizeOf(good));
    produceGood(out);
    expect(out).toEqual(expected(good));
    expect(w.made).toBe(0);
    expect(w.close().failure).toMatch(/^the weight worker failed/);
  });
});

describe('the ring, in one thread', () => {
  const jobs = [conv('a', 8, 8), conv('b', 16, 8), conv('c', 8, 4, 1), conv('d', 32, 8)];
  const setup = (capacity: number) => {
    const control = new SharedArrayBuffer(4 * controlInts(jobs.length));
    const ring = new SharedArrayBuffer(4 * capacity);
    const ctl = new Int32Array(control);
    Atomics.store(ctl, REQUESTED, -1);
    return { ctl, ring: new Float32Array(ring), setup: { control, ring, jobs } };
  };

  it('makes every job it has room for, skips those the main thread claimed, and the main thread copies them out', () => {
    const s = setup(10_000);
    Atomics.store(s.ctl, stateOf(1), MAIN);
    fillRing(s.setup);
    expect(jobs.map((_, j) => Atomics.load(s.ctl, stateOf(j)))).toEqual([READY, MAIN, READY, READY]);
    for (const j of [0, 2, 3]) {
      const out = new Float32Array(sizeOf(jobs[j]!));
      expect(takeFromRing(s.ctl, s.ring, j, out, 1000)).toBe(true);
      expect(out).toEqual(expected(jobs[j]!));
      expect(Atomics.load(s.ctl, stateOf(j))).toBe(DONE);
      expect(takeFromRing(s.ctl, s.ring, j, out, 1000)).toBe(false); // taken: the caller makes it again
    }
    expect(takeFromRing(s.ctl, s.ring, 1, new Float32Array(sizeOf(jobs[1]!)), 1000)).toBe(false);
  });

  it('leaves a job larger than the ring, and a FREE job asked for becomes the main thread\'s', () => {
    const s = setup(sizeOf(jobs[1]!));
    Atomics.store(s.ctl, stateOf(0), MAIN);
    Atomics.store(s.ctl, stateOf(2), MAIN);
    fillRing(s.setup);
    expect(Atomics.load(s.ctl, stateOf(1))).toBe(READY);
    expect(Atomics.load(s.ctl, stateOf(3))).toBe(FREE); // 2048 samples in a ring of 1152
    expect(takeFromRing(s.ctl, s.ring, 3, new Float32Array(sizeOf(jobs[3]!)), 1000)).toBe(false);
    expect(Atomics.load(s.ctl, stateOf(3))).toBe(MAIN);
  });

  it('takes over a job the worker does not finish in time, and the worker then drops what it made', () => {
    const s = setup(10_000);
    Atomics.store(s.ctl, stateOf(0), MAKING);
    const t0 = performance.now();
    expect(takeFromRing(s.ctl, s.ring, 0, new Float32Array(sizeOf(jobs[0]!)), 20)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
    expect(Atomics.load(s.ctl, stateOf(0))).toBe(MAIN);
    // a worker that finishes a job the main thread took over publishes nothing (the writer has not
    // begun, as far as this worker knows: it would otherwise leave the next jobs to the writer)
    Atomics.store(s.ctl, REQUESTED, -1);
    let took = false;
    fillRing(s.setup, (job, out) => {
      if (job === jobs[1]) {
        expect(Atomics.compareExchange(s.ctl, stateOf(1), MAKING, MAIN)).toBe(MAKING); // the main thread gives up now
        took = true;
      }
      fillSeeded(job, out);
    });
    expect(took).toBe(true);
    expect(jobs.map((_, j) => Atomics.load(s.ctl, stateOf(j)))).toEqual([MAIN, MAIN, READY, READY]);
  });
});
