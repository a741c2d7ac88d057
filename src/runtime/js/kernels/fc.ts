/**
 * Gemm with constant weights (a fully connected layer, Y = alpha * X W' + beta * C) on the GEMM
 * engine: W' (features x inputs) is packed once with alpha folded in, beta * C becomes the bias of
 * each feature, and each run multiplies by X' (the batch as columns). The product comes out as
 * features x batch; for a batch of one that is already Y's layout, otherwise it is transposed.
 */
import type { OnnxTensor } from '../../../onnx/model.js';
import type { Arena } from '../arena.js';
import { matrixJob } from '../gemm/job.js';
import { packA, packedASize } from '../gemm/pack.js';
import { inArena, shapeError } from '../inputs.js';
import type { Env } from '../kernel.js';
import { shapeText, type Tensor } from '../tensor.js';

export interface PackedFc {
  features: number;
  inputs: number;
  /** Float offsets of the packed weights and of the bias (-1 for none). */
  a: number;
  bias: number;
}

/** Packs B (inputs x features, or features x inputs when transB) and C, if C is a vector. */
export function packFc(arena: Arena, b: OnnxTensor, transB: boolean, c: OnnxTensor | undefined, alpha: number, beta: number): PackedFc | undefined {
  if (b.dims.length !== 2 || b.dataType !== 'float32') return undefined;
  const [features, inputs] = transB ? [b.dims[0]!, b.dims[1]!] : [b.dims[1]!, b.dims[0]!];
  const vector = c && c.dataType === 'float32' && c.data.length === features && c.dims.length <= 2 && c.dims[c.dims.length - 1] === features;
  if (c && !vector) return undefined;
  const packed = arena.alloc(packedASize(features, inputs));
  // W' is B itself (transB) or B read transposed.
  const [rowStride, colStride] = transB ? [inputs, 1] : [1, features];
  packA(b.data as Float32Array, 0, features, inputs, arena.f32(), arena.offsetOf(packed)!, new Float32Array(features).fill(alpha), rowStride, colStride);
  let bias = -1;
  if (c && beta !== 0) {
    const v = arena.alloc(features);
    for (let o = 0; o < features; o++) v[o] = beta * (c.data as Float32Array)[o]!;
    bias = arena.offsetOf(v)!;
  }
  return { features, inputs, a: arena.offsetOf(packed)!, bias };
}

export function runFc(fc: PackedFc, x: Tensor, transA: boolean, env: Env, label: string): Tensor {
  if (x.dims.length !== 2) shapeError(label, `A ${shapeText(x.dims)} must be a matrix`);
  const [batch, k] = transA ? [x.dims[1]!, x.dims[0]!] : [x.dims[0]!, x.dims[1]!];
  if (k !== fc.inputs) shapeError(label, `A ${shapeText(x.dims)} does not fit ${fc.inputs} inputs`);
  const temps: Float32Array[] = [];
  const xOff = inArena(env, x, temps);
  const y = env.output([batch, fc.features]);
  const direct = batch === 1;
  const out = direct ? y.data : env.scratch(fc.features * batch);
  // Columns of B are the batch: rows of X (transposed source), or columns of X when transA.
  const job = matrixJob({ m: fc.features, n: batch, k, a: fc.a, c: env.arena.offsetOf(out)!, ldc: batch, bOff: xOff, bLd: transA ? batch : k });
  if (!transA) job.bKind = 2;
  job.bias = fc.bias;
  env.engine.gemm(job);
  if (!direct) {
    for (let o = 0; o < fc.features; o++) for (let j = 0; j < batch; j++) y.data[j * fc.features + o] = out[o * batch + j]!;
    env.free(out);
  }
  for (const t of temps) env.free(t);
  return y;
}
