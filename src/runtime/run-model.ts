/**
 * Running a model on one input, in the JS executor or in onnxruntime-node, with a warm-up and
 * a median time over repeats. A model that cannot run (an unsupported op, shapes that do not fit,
 * onnxruntime refusing it) is a failure with a Diagnostic, rendered like every other. Shared by
 * `resdsl run` and the tests; report/outputs.ts describes the outputs.
 */
import * as ort from 'onnxruntime-node';
import { fail, ok, type Result } from '../diagnostics/result.js';
import { dispose, run, RunError, type PrepareOptions, type Tensor, type Value } from './js/index.js';
import { prepareLean } from './js/lean.js';
import type { OnnxModel } from '../onnx/model.js';
import { encodeModel } from '../onnx/write.js';

export type Runtime = 'js' | 'ort';

export interface RunOptions {
  runtime: Runtime;
  threads: 1 | 2;
  /** Timed runs after one warm-up; 0 means one untimed-warm-up-free run. */
  repeat: number;
  /**
   * The JS runtime may take the model's weights (emptying its initializers) and free them while
   * it packs its own copy: the lowest peak memory, for a caller that is done with the model.
   */
  takeWeights?: boolean;
  /** The JS executor's host and kernels (src/node/executor-host.ts in Node): two threads need a host. */
  executor?: Pick<PrepareOptions, 'host' | 'kernel' | 'fma'>;
  /** Called after each timed run (for a progress line): how many are done, of how many. */
  onRun?: (done: number, count: number) => void;
}

export interface RunOutcome {
  outputs: { name: string; tensor: Tensor }[];
  /** Median time of one run, when repeated. */
  medianMs?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** An output as float32 (int64 outputs, such as a Shape, converted), for .npy files and summaries. */
function asFloat(v: Value): Tensor {
  return v.data instanceof Float32Array ? (v as Tensor) : { dims: v.dims, data: Float32Array.from(v.data, (x) => Number(x)) };
}

export async function runModel(model: OnnxModel, input: Tensor, opts: RunOptions): Promise<Result<RunOutcome>> {
  return opts.runtime === 'js' ? runJs(model, input, opts) : runOrt(model, input, opts);
}

async function runJs(model: OnnxModel, input: Tensor, opts: RunOptions): Promise<Result<RunOutcome>> {
  const plan = prepareLean(model, { ...opts.executor, threads: opts.threads, takeWeights: opts.takeWeights ?? false });
  if (!plan.ok) return plan;
  try {
    const feeds = new Map([[model.inputs[0]!.name, input]]);
    let out = run(plan.value, feeds);
    const times: number[] = [];
    for (let i = 0; i < opts.repeat; i++) {
      const t0 = performance.now();
      out = run(plan.value, feeds);
      times.push(performance.now() - t0);
      opts.onRun?.(i + 1, opts.repeat);
    }
    const outputs = model.outputs.map((o) => ({ name: o.name, tensor: asFloat(out.get(o.name)!) }));
    return ok({ outputs, ...(times.length ? { medianMs: median(times) } : {}) });
  } catch (e) {
    // a read .onnx file whose shapes do not fit together fails at run time: the user's error, not ours
    if (e instanceof RunError) return fail(e.code, e.message);
    throw e;
  } finally {
    await dispose(plan.value);
  }
}

async function runOrt(model: OnnxModel, input: Tensor, opts: RunOptions): Promise<Result<RunOutcome>> {
  // onnxruntime's telemetry writes `.ses` and `mat-debug-PID.log` into the temp folder (and
  // would send events); off unless the user set it, read when the first session is created
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(encodeModel(model).model, { intraOpNumThreads: opts.threads, interOpNumThreads: 1, logSeverityLevel: 4 });
  } catch (e) {
    return fail('E0804', `onnxruntime cannot load the model: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    // A computed key is always an own property, even `__proto__`.
    const feeds = { [model.inputs[0]!.name]: new ort.Tensor('float32', input.data, input.dims) };
    let out = await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < opts.repeat; i++) {
      const t0 = performance.now();
      out = await session.run(feeds);
      times.push(performance.now() - t0);
      opts.onRun?.(i + 1, opts.repeat);
    }
    const outputs = model.outputs.map((o) => {
      // Names come from the model: only an own property of ort's result object is that output.
      if (!Object.prototype.hasOwnProperty.call(out, o.name)) throw new Error(`no output named '${o.name}' in onnxruntime's result`);
      const t = out[o.name]!;
      return { name: o.name, tensor: { dims: t.dims.map(Number), data: t.data as Float32Array } };
    });
    return ok({ outputs, ...(times.length ? { medianMs: median(times) } : {}) });
  } catch (e) {
    return fail('E0804', `onnxruntime failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await session.release();
  }
}
