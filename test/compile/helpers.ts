/** Helpers for compile tests: run a model in onnxruntime-node, read the parity fixtures. */
import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { readNpy } from '../../src/io/npy.js';
import type { Tensor } from '../../src/runtime/js/tensor.js';

export const parityDir = new URL('../fixtures/reference/parity/', import.meta.url).pathname;

export function npy(file: string): Tensor {
  const r = readNpy(fs.readFileSync(file));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Runs an ONNX model (bytes or path) on one input in onnxruntime-node; returns the first output. */
export async function ortRun(model: Uint8Array | string, input: Tensor, threads = 1): Promise<Tensor> {
  const session = await ort.InferenceSession.create(model as never, { intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  try {
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input.data, input.dims) };
    const out = await session.run(feeds);
    const y = out[session.outputNames[0]!]!;
    return { dims: [...y.dims], data: y.data as Float32Array };
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.dims.join() !== b.dims.join()) throw new Error(`shapes differ: [${a.dims}] and [${b.dims}]`);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}
