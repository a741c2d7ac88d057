/**
 * NumPy broadcasting for the elementwise kernels: the output shape of two shapes, and a walk over
 * the output row by row (the last dimension), giving each operand's offset and its step within the
 * row (1, or 0 when broadcast), so that kernels run tight loops on rows.
 */
import { numel, stridesOf } from './tensor.js';

/** The broadcast shape, or undefined when the shapes are incompatible. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** Strides of an operand of shape `dims` read as shape `out`: 0 along broadcast dimensions. */
export function broadcastStrides(dims: readonly number[], out: readonly number[]): number[] {
  const own = stridesOf(dims);
  const shift = out.length - dims.length;
  return out.map((_, i) => (i < shift || dims[i - shift] === 1 ? 0 : own[i - shift]!));
}

/**
 * Calls `row(outOff, offsets, steps, len)` for each row of the output, where offsets[i] and
 * steps[i] locate operand i's elements of that row.
 */
export function forEachRow(
  out: readonly number[], operands: readonly (readonly number[])[],
  row: (outOff: number, offsets: number[], steps: number[], len: number) => void,
): void {
  const total = numel(out);
  if (total === 0) return;
  const rank = out.length;
  const len = rank === 0 ? 1 : out[rank - 1]!;
  const strides = operands.map((d) => broadcastStrides(d, out));
  const steps = strides.map((s) => (rank === 0 ? 0 : s[rank - 1]!));
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  const offsets = operands.map(() => 0);
  for (let outOff = 0; outOff < total; outOff += len) {
    row(outOff, offsets, steps, len);
    // Advance the odometer over all dimensions but the last.
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      for (let i = 0; i < offsets.length; i++) offsets[i]! += strides[i]![d]!;
      if (index[d]! < out[d]!) break;
      for (let i = 0; i < offsets.length; i++) offsets[i]! -= strides[i]![d]! * out[d]!;
      index[d] = 0;
    }
  }
}
