/**
 * Small helpers kernels share for their inputs: fetching a runtime tensor that must be there,
 * reading int64 constants (shapes, pads) as numbers, and finding a tensor in the arena.
 */
import type { OnnxTensor } from '../../onnx/model.js';
import type { Env } from './kernel.js';
import { isFloat, RunError, type Int64Tensor, type Tensor, type Value } from './tensor.js';

/** Input i of any type, which the plan guarantees for required inputs; a missing one is a bug. */
export function needValue(inputs: readonly (Value | undefined)[], i: number, label: string): Value {
  const t = inputs[i];
  if (t === undefined) throw new Error(`${label}: input ${i} is missing at run time`);
  return t;
}

/** Float32 input i; an int64 value there is the model's error. */
export function need(inputs: readonly (Value | undefined)[], i: number, label: string): Tensor {
  const t = needValue(inputs, i, label);
  if (!isFloat(t)) throw new RunError('E0704', `${label}: input ${i} is int64, expected float32`);
  return t;
}

/** Int64 input i; a float32 value there is the model's error. */
export function needInt(inputs: readonly (Value | undefined)[], i: number, label: string): Int64Tensor {
  const t = needValue(inputs, i, label);
  if (isFloat(t)) throw new RunError('E0704', `${label}: input ${i} is float32, expected int64`);
  return t;
}

/** Optional float32 input i. */
export function optional(inputs: readonly (Value | undefined)[], i: number, label: string): Tensor | undefined {
  return inputs[i] === undefined ? undefined : need(inputs, i, label);
}

/** Values of an int64 (or integral float32) constant as numbers. */
export function intsOf(t: OnnxTensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Throws the run-time shape error of a step. */
export function shapeError(label: string, message: string): never {
  throw new RunError('E0704', `${label}: ${message}`);
}

/**
 * The arena offset of `t`'s data, for the GEMM engine; data that lives elsewhere (a constant) is
 * copied into scratch memory, which is added to `temps` for the caller to free.
 */
export function inArena(env: Env, t: Tensor, temps: Float32Array[]): number {
  const off = env.arena.offsetOf(t.data);
  if (off !== undefined) return off;
  const copy = env.scratch(t.data.length);
  copy.set(t.data);
  temps.push(copy);
  return env.arena.offsetOf(copy)!;
}
