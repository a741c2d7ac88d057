/**
 * Seeded weights made on two threads, for `resdsl compile`: making the random values of a large
 * network's tensors (a tight generator loop, about 8 ns a sample) is most of the writing's work,
 * and the writer needs them one at a time, in an order known once the model is lowered. A worker
 * thread makes them ahead of the writer into a bounded ring of shared memory (weight-ring.ts); the
 * writer copies each out when it reaches it, or makes it itself when the worker has not claimed it.
 * The values are fillSeeded's either way (the same function, on the same job), so the file is the
 * same bytes as with one thread.
 *
 * Use: pass `make` to the pipeline (weights: { seed, make }), call `plan` with the initializers'
 * names before the model is written, and `close` after. The thread starts once the seeded tensors
 * are enough to gain from it (a small network's compile would lose more in starting and ending a
 * thread than it saves). Tensors made before `plan`, tensors the plan does not name, small
 * tensors and constant fills are made on the thread that asks.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { makeHere, type SeededMaker } from '../weights/attach.js';
import { drawsRandom, fillSeeded, type SeedJob } from '../weights/init.js';
import { startModuleWorker } from './module-worker.js';
import { controlInts, FAILED, MADE, RELEASED, REQUESTED, sampleCount, STOP, takeFromRing, type RingSetup } from './weight-ring.js';

export interface WeightWorkerOptions {
  /**
   * Size of the ring: room for two of the largest tensors, at least `ringBytes.min` (default 8 MiB,
   * a few hundred small tensors) and at most `ringBytes.max` (default 32 MiB). A larger ring gave
   * the 10,000-block network nothing more than 8 MiB does (the writer's CPU time within noise),
   * and takes its size in memory.
   */
  ringBytes?: { min: number; max: number };
  /** Tensors with fewer samples are made by the thread that asks (default 1024: moving them costs more than making them). */
  minSamples?: number;
  /**
   * How long the writer waits for a tensor the worker is making before it makes it itself, per
   * sample (default 16 ns, twice what making one takes), plus 1 ms.
   */
  patienceNsPerSample?: number;
  /**
   * Fewer samples in all than this, and no worker is started (default 2^25, about 0.3 s of making):
   * starting a thread and ending it cost a small network more than it saves (ResNet-18, 12 million
   * samples, was 23-45 ms slower with the worker, the 0.3-million CIFAR ResNet-20 30 ms), and
   * ResNet-50 (26 million) gained nothing measurable (-9 to +15 ms) for 25 MiB more memory.
   */
  minPlannedSamples?: number;
}

export interface WeightWorkerReport {
  /** Tensors planned for the worker to make. */
  planned: number;
  /** Tensors the writer took from the worker. */
  fromWorker: number;
  /** Why the worker stopped before its work was done, if it did. */
  failure?: string;
}

/** Sent by the worker's bootstrap when its module cannot load. */
const couldNotStart = `require('node:worker_threads').parentPort.postMessage({ failed: 'it could not start: ' + (e && e.message) });`;

export class WeightWorker {
  private worker: Worker | undefined;
  private readonly ringBytes: { min: number; max: number };
  private readonly minSamples: number;
  private readonly patienceNs: number;
  private readonly minPlannedSamples: number;
  /** The tensors the worker may make, by name, as seedWeights gave them. */
  private readonly candidates = new Map<string, SeedJob>();
  private candidateSamples = 0;
  /** The plan: jobs in the writer's order, and each job's index (by identity: a name seeded twice is two jobs). */
  private readonly jobs: SeedJob[] = [];
  private readonly index = new Map<SeedJob, number>();
  private shared: { ctl: Int32Array; ring: Float32Array } | undefined;
  private stopped = false;
  private fromWorker = 0;
  private failure: string | undefined;

  constructor(opts: WeightWorkerOptions = {}) {
    this.ringBytes = opts.ringBytes ?? { min: 8 * 2 ** 20, max: 32 * 2 ** 20 };
    this.minSamples = opts.minSamples ?? 1024;
    this.patienceNs = opts.patienceNsPerSample ?? 16;
    this.minPlannedSamples = opts.minPlannedSamples ?? 2 ** 25;
  }

  /**
   * Starts the thread, which waits for the plan. It allocates little (the job list, a view per
   * tensor): a small young generation keeps its memory down (by 15 MiB).
   */
  private spawn(): Worker {
    const worker = startModuleWorker('./weight-worker', undefined, couldNotStart, { maxYoungGenerationSizeMb: 1 });
    worker.on('message', (m: { failed?: string }) => {
      if (m.failed !== undefined) this.failure ??= `the weight worker failed: ${m.failed}`;
    });
    worker.on('error', (e) => (this.failure ??= `the weight worker failed: ${e.message}`));
    return worker;
  }

  /**
   * The SeededMaker for the pipeline's weights stage. The thread starts as soon as the tensors given
   * here are enough to gain from it: its start (about 0.1 s of loading) then overlaps the passes and
   * lowering; started when the plan comes, it gave the 10,000-block compile 0.2 s less.
   */
  readonly make: SeededMaker = (job) => {
    const count = sampleCount(job);
    if (!drawsRandom(job.init) || count < this.minSamples) return makeHere(job);
    this.candidates.set(job.name, job);
    this.candidateSamples += count;
    if (this.worker === undefined && !this.stopped && this.candidateSamples >= this.minPlannedSamples) this.worker = this.spawn();
    return (out) => this.produce(job, out);
  };

  /** The worker starts making the tensors of these names (the model's initializers), in this order, the order the writer will ask. */
  plan(names: Iterable<string>): void {
    if (this.shared || this.stopped) throw new Error('internal: the weight worker was given a plan twice');
    let samples = 0;
    let largest = 0;
    for (const name of names) {
      const job = this.candidates.get(name);
      if (job === undefined || this.index.has(job)) continue;
      this.index.set(job, this.jobs.length);
      this.jobs.push(job);
      const count = sampleCount(job);
      samples += count;
      largest = Math.max(largest, count);
    }
    if (this.jobs.length === 0 || samples < this.minPlannedSamples) {
      this.jobs.length = 0;
      this.index.clear();
      return this.stop();
    }
    const control = new SharedArrayBuffer(4 * controlInts(this.jobs.length));
    const { min, max } = this.ringBytes;
    const ring = new SharedArrayBuffer(4 * Math.min(samples, Math.max(min / 4, Math.min(2 * largest, max / 4))));
    this.shared = { ctl: new Int32Array(control), ring: new Float32Array(ring) };
    Atomics.store(this.shared.ctl, REQUESTED, -1);
    const setup: RingSetup = { control, ring, jobs: this.jobs };
    (this.worker ??= this.spawn()).postMessage(setup);
  }

  /** Fills `out` with the job's tensor: from the ring when the worker made it, else made here. */
  private produce(job: SeedJob, out: Float32Array): void {
    const j = this.index.get(job);
    if (j !== undefined && this.shared && !this.stopped) {
      if (takeFromRing(this.shared.ctl, this.shared.ring, j, out, 1 + (out.length * this.patienceNs) / 1e6)) {
        this.fromWorker++;
        return;
      }
    }
    fillSeeded(job, out);
  }

  private stop(): void {
    this.stopped = true;
    if (this.shared) {
      Atomics.store(this.shared.ctl, STOP, 1);
      Atomics.notify(this.shared.ctl, RELEASED);
    }
  }

  /** Tensors the worker has made so far (taken or not). */
  get made(): number {
    return this.shared ? Atomics.load(this.shared.ctl, MADE) : 0;
  }

  /** Whether the worker has failed on a tensor (or could not start), so far. */
  get failed(): boolean {
    return this.failure !== undefined || (this.shared !== undefined && Atomics.load(this.shared.ctl, FAILED) !== 0);
  }

  /** Stops the worker (the process need not wait for it) and says what it did. */
  close(): WeightWorkerReport {
    this.stop();
    void this.worker?.terminate();
    const failed = this.shared !== undefined && Atomics.load(this.shared.ctl, FAILED) !== 0;
    const failure = this.failure ?? (failed ? 'the weight worker failed on a tensor' : undefined);
    return { planned: this.jobs.length, fromWorker: this.fromWorker, ...(failure !== undefined ? { failure } : {}) };
  }
}

/**
 * Processors a machine needs for the worker to be used by default. With two, the second is not
 * free while a large model is written: V8's collector and compiler threads (about 1.4 s of the
 * 10,000-block compile) and the kernel's copying of the file into the page cache keep it busy, and
 * on this project's 2-vCPU machine the worker gained 0.25-0.48 s in three series and nothing or
 * less in others (0.2 s slower in the last, at load 2). It frees 0.55-0.7 s of the main thread's
 * CPU, which a machine with cores to spare turns into time.
 */
const minProcessors = 4;

/**
 * The weight worker `resdsl compile` uses: by default for a network with enough samples to make, on
 * a machine of `minProcessors` or more. RESDSL_WEIGHT_WORKER=0 turns it off; =1 uses it whatever
 * the network's size and the machine, and so does =stats, which also has the CLI say how many
 * tensors it made.
 */
export function weightWorkerFor(env: NodeJS.ProcessEnv = process.env, processors = availableParallelism()): WeightWorker | undefined {
  const asked = env['RESDSL_WEIGHT_WORKER'];
  if (asked === '0') return undefined;
  if (asked === '1' || asked === 'stats') return new WeightWorker({ minPlannedSamples: 0 });
  return processors < minProcessors ? undefined : new WeightWorker();
}
