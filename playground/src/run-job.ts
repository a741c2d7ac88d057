/**
 * The run worker's job: what `resdsl run FILE --random --seed N` does, in the JS executor (on two
 * threads when the host can start a second one, else on one): compile, make the input of the
 * model's shape (batch 1) filled with the same seeded normal values as the CLI's
 * (weights/rng.ts's Rng(seed).fillNormal), run it, and describe each output as the CLI does
 * (report/outputs.ts). Times: compile, prepare, the first run, and a second one (warm: the
 * memory is allocated and the code compiled by then).
 */
import type { Tensor } from '../../src/io/tensor.js';
import { describeOutput } from '../../src/report/outputs.js';
import { dispose, prepare, ready, run, RunError, type ExecutorHost, type Value } from '../../src/runtime/js/index.js';
import { Rng } from '../../src/weights/rng.js';
import { compileJob } from './compile-job.js';
import type { Failure, Job, RunDone } from './protocol.js';
import type { Handler } from './worker-host.js';

/** An output as float32 (an int64 output, such as a Shape, converted), as `resdsl run` describes it. */
const asFloat = (v: Value): Tensor => (v.data instanceof Float32Array ? (v as Tensor) : { dims: v.dims, data: Float32Array.from(v.data, (x) => Number(x)) });

/** The seeded input of `resdsl run --random --seed N --batch 1`. */
export function randomInput(shape: readonly (number | string)[], seed: number): Tensor {
  const dims = shape.map((d) => (typeof d === 'number' ? d : 1));
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  new Rng(seed).fillNormal(data, 0, 1);
  return { dims, data };
}

/** Where the executor runs: its threads and, for two, the host that starts the second. */
export interface RunPlace {
  threads: 1 | 2;
  host?: ExecutorHost;
}

export async function runJob(job: Job, place: RunPlace = { threads: 1 }): Promise<RunDone | Failure> {
  const c = compileJob(job);
  if (!c.ok) return c;
  const decl = c.model.inputs[0]!;
  const input = randomInput(decl.shape, job.options.seed);
  const t0 = performance.now();
  const plan = prepare(c.model, { threads: place.threads, ...(place.host ? { host: place.host } : {}) });
  if (!plan.ok) return { ok: false, message: `error[${plan.error.code}]: ${plan.error.message}` };
  try {
    await ready(plan.value);
    const t1 = performance.now();
    const feeds = new Map([[decl.name, input]]);
    const out = run(plan.value, feeds);
    const t2 = performance.now();
    run(plan.value, feeds);
    const t3 = performance.now();
    return {
      ok: true,
      network: c.network,
      inputShape: input.dims,
      outputs: c.model.outputs.map((o) => describeOutput(o.name, asFloat(out.get(o.name)!))),
      compileMs: c.ms,
      threads: place.threads,
      kernel: plan.value.options.kernel === 'js' ? 'js' : plan.value.options.fma ? 'wasm-fma' : 'wasm',
      prepareMs: t1 - t0,
      runMs: t2 - t1,
      warmRunMs: t3 - t2,
    };
  } catch (e) {
    if (e instanceof RunError) return { ok: false, message: `error[${e.code}]: ${e.message}` };
    throw e;
  } finally {
    await dispose(plan.value);
  }
}

/** The run worker's handler, running jobs at `place`. */
export const runHandler =
  (place: RunPlace): Handler<Job, RunDone> =>
  async (job) => ({ result: await runJob(job, place) });
