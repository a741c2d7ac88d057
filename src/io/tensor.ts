/** A dense float32 tensor in row-major (C) order, NCHW for images: what .npy files hold and the executor computes on. */
export interface Tensor {
  dims: number[];
  data: Float32Array;
}

export function numel(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function shapeText(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}
