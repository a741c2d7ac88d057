/**
 * The values of parameter tensors. A tensor holds them as `data` (weights loaded from a file), or
 * makes them when asked through `produce` (seeded weights, a folded conv-bn pair): a compile then
 * writes each tensor as it is made, into one reused buffer, rather than holding every weight (and
 * every fused copy) at once. These functions are the one way to read values, whichever form a
 * tensor has.
 */
import type { ParamTensor } from './types.js';

/** Whether the tensor has values (data, or a producer): false in a graph only being checked. */
export function hasValues(p: ParamTensor): boolean {
  return p.data !== undefined || p.produce !== undefined;
}

/** The number of values of a tensor of this shape. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The tensor's values: its own data (never write into it), or a new array made by its producer;
 * undefined when it has neither.
 */
export function tensorValues(p: ParamTensor): Float32Array | undefined {
  if (p.data || !p.produce) return p.data;
  const out = new Float32Array(elementCount(p.shape));
  p.produce(out);
  return out;
}

/** Fills `out` (of the tensor's element count) with the tensor's values, whichever form it holds them in. */
export function fillValues(p: ParamTensor, out: Float32Array): void {
  if (p.data) {
    if (p.data.length !== out.length) throw new Error(`internal: parameter ${p.name} holds ${p.data.length} values, not ${out.length}`);
    out.set(p.data);
  } else if (p.produce) p.produce(out);
  else throw new Error(`internal: parameter ${p.name} has no values`);
}

/** The tensor with values made on demand by `produce` (which fills the array it is given; see ParamTensor). */
export function lazyTensor(p: ParamTensor, produce: (out: Float32Array) => void): ParamTensor {
  return { name: p.name, shape: p.shape, trainable: p.trainable, init: p.init, produce };
}
