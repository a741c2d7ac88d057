/**
 * The output size of a convolution or pooling window along one axis, ONNX's and PyTorch's rule,
 * written once for the compiler's shape inference (ir/ops/window.ts) and the executor's geometry
 * (runtime/js/geometry.ts):
 *   out = floor_or_ceil((size + padBegin + padEnd - dilation * (k - 1) - 1) / stride) + 1
 * With ceil mode, a last window that would start in the end padding is dropped. 0 when the window
 * does not fit the padded input.
 */
export function windowOutputSize(
  size: number, k: number, stride: number, dilation: number, padBegin: number, padEnd: number, ceil: boolean,
): number {
  const room = size + padBegin + padEnd - dilation * (k - 1) - 1;
  if (room < 0) return 0;
  let out = (ceil ? Math.ceil(room / stride) : Math.floor(room / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + padBegin) out -= 1;
  return out;
}
