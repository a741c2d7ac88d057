/**
 * Running a model on one input, in the JS executor or in onnxruntime-node, with a warm-up and
 * a median time over repeats; and a short description of each output (shape, min, max, mean,
 * argmax per sample). Shared by `resdsl run` and the benchmark.
 */
import * as ort from 'onnxruntime-node';
import { dispose, run, RunError, type Tensor, type Value } from './js/index.js';
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

export async function runModel(model: OnnxModel, input: Tensor, opts: RunOptions): Promise<{ ok: true; value: RunOutcome } | { ok: false; message: string }> {
  return opts.runtime === 'js' ? runJs(model, input, opts) : runOrt(model, input, opts);
}

async function runJs(model: OnnxModel, input: Tensor, opts: RunOptions): Promise<{ ok: true; value: RunOutcome } | { ok: false; message: string }> {
  const plan = prepareLean(model, { threads: opts.threads, takeWeights: opts.takeWeights ?? false });
  if (!plan.ok) return { ok: false, message: `error[${plan.error.code}]: ${plan.error.message}` };
  try {
    const feeds = new Map([[model.inputs[0]!.name, input]]);
    let out = run(plan.value, feeds);
    const times: number[] = [];
    for (let i = 0; i < opts.repeat; i++) {
      const t0 = performance.now();
      out = run(plan.value, feeds);
      times.push(performance.now() - t0);
    }
    const outputs = model.outputs.map((o) => ({ name: o.name, tensor: asFloat(out.get(o.name)!) }));
    return { ok: true, value: { outputs, ...(times.length ? { medianMs: median(times) } : {}) } };
  } catch (e) {
    // a read .onnx file whose shapes do not fit together fails at run time: the user's error, not ours
    if (e instanceof RunError) return { ok: false, message: `error[${e.code}]: ${e.message}` };
    throw e;
  } finally {
    await dispose(plan.value);
  }
}

async function runOrt(model: OnnxModel, input: Tensor, opts: RunOptions): Promise<{ ok: true; value: RunOutcome } | { ok: false; message: string }> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(encodeModel(model).model, { intraOpNumThreads: opts.threads, interOpNumThreads: 1, logSeverityLevel: 4 });
  } catch (e) {
    return { ok: false, message: `onnxruntime cannot load the model: ${(e as Error).message.split('\n')[0]}` };
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
    }
    const outputs = model.outputs.map((o) => {
      // Names come from the model: only an own property of ort's result object is that output.
      if (!Object.prototype.hasOwnProperty.call(out, o.name)) throw new Error(`no output named '${o.name}' in onnxruntime's result`);
      const t = out[o.name]!;
      return { name: o.name, tensor: { dims: t.dims.map(Number), data: t.data as Float32Array } };
    });
    return { ok: true, value: { outputs, ...(times.length ? { medianMs: median(times) } : {}) } };
  } catch (e) {
    return { ok: false, message: `onnxruntime failed: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    await session.release();
  }
}

export interface OutputSummary {
  name: string;
  shape: number[];
  min: number;
  max: number;
  mean: number;
  /** Index of the largest value of each sample (first dimension), for rank-2 outputs such as logits. */
  argmax?: number[];
}

export function describeOutput(name: string, t: Tensor): OutputSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of t.data) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const s: OutputSummary = { name, shape: [...t.dims], min, max, mean: t.data.length ? sum / t.data.length : 0 };
  if (t.dims.length === 2) {
    const [n, c] = t.dims as [number, number];
    s.argmax = Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let j = 1; j < c; j++) if (t.data[i * c + j]! > t.data[i * c + best]!) best = j;
      return best;
    });
  }
  return s;
}
