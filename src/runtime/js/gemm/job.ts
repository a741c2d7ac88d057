/**
 * One matrix product (of a convolution or a fully connected layer), described by plain numbers so
 * that it can be handed to the worker thread through shared memory. Offsets are float indices into
 * the arena.
 *
 *   C[m x n] (row stride ldc) = A[m x k] * B[k x n] (+ bias[row]) (+ R[m x n], row stride ldr),
 *   then max(0, .) if relu, or another activation (activation.ts: act, with parameters actA, actB
 *   as float bits).
 *
 * A is packed (pack.ts). B is a row-major matrix (bKind 0: B[kk][j] = f[bOff + kk*bLd + j]), a
 * transposed one (bKind 2: B[kk][j] = f[bOff + j*bLd + kk]), or the implicit im2col matrix of a
 * C x H x W image (bKind 1): row kk = (ci*kh + ky)*kw + kx, column j = oy*ow + ox, value
 * image[ci][oy*sh - ph + ky*dh][ox*sw - pw + kx*dw], zero outside the image.
 */
export interface GemmJob {
  m: number;
  n: number;
  k: number;
  a: number;
  c: number;
  ldc: number;
  /** -1 when absent. */
  bias: number;
  /** -1 when absent. */
  res: number;
  ldr: number;
  relu: number;
  bKind: number;
  bOff: number;
  bLd: number;
  ch: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  ow: number;
  act: number;
  actA: number;
  actB: number;
}

export const jobFields = [
  'm', 'n', 'k', 'a', 'c', 'ldc', 'bias', 'res', 'ldr', 'relu', 'bKind', 'bOff', 'bLd',
  'ch', 'h', 'w', 'kh', 'kw', 'sh', 'sw', 'ph', 'pw', 'dh', 'dw', 'ow', 'act', 'actA', 'actB',
] as const satisfies readonly (keyof GemmJob)[];

/** A job with a plain-matrix B and no epilogue; callers fill in the rest. */
export function matrixJob(fields: Pick<GemmJob, 'm' | 'n' | 'k' | 'a' | 'c' | 'ldc' | 'bOff' | 'bLd'>): GemmJob {
  return {
    ...fields, bias: -1, res: -1, ldr: 0, relu: 0, bKind: 0,
    ch: 0, h: 0, w: 0, kh: 0, kw: 0, sh: 0, sw: 0, ph: 0, pw: 0, dh: 0, dw: 0, ow: 0, act: 0, actA: 0, actB: 0,
  };
}

const bits = new DataView(new ArrayBuffer(4));

/** The bits of a float32, to carry a float in an integer field. */
export function floatBits(v: number): number {
  bits.setFloat32(0, v, true);
  return bits.getInt32(0, true);
}

export function fromBits(i: number): number {
  bits.setInt32(0, i, true);
  return bits.getFloat32(0, true);
}


