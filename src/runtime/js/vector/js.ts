/** The plain JS vector kernels (see kernels.ts): the reference for the WebAssembly ones. */
import { scalarOf } from '../activation.js';
import { depthwiseJs } from '../depthwise/js.js';
import type { VectorBinaryOp, VectorKernels } from './kernels.js';

const ops: Record<VectorBinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

export const jsVectorKernels: VectorKernels = {
  act(f, op, a, b, src, dst, n) {
    const fn = scalarOf({ op, a, b });
    for (let i = 0; i < n; i++) f[dst + i] = fn(f[src + i]!);
  },
  binary(f, op, x, y, dst, n) {
    const fn = ops[op];
    for (let i = 0; i < n; i++) f[dst + i] = fn(f[x + i]!, f[y + i]!);
  },
  rows(f, op, x, s, dst, rows, len) {
    const fn = ops[op];
    for (let r = 0; r < rows; r++) {
      const v = f[s + r]!;
      for (let i = r * len; i < (r + 1) * len; i++) f[dst + i] = fn(f[x + i]!, v);
    }
  },
  cols(f, op, x, s, dst, rows, len) {
    const fn = ops[op];
    for (let r = 0; r < rows; r++) for (let i = 0; i < len; i++) f[dst + r * len + i] = fn(f[x + r * len + i]!, f[s + i]!);
  },
  depthwise: depthwiseJs,
  chanNorm(f, x, dst, c, hw, gamma, beta, eps, p0, p1) {
    for (let j = p0; j < p1; j++) {
      let sum = 0;
      for (let ci = 0; ci < c; ci++) sum += f[x + ci * hw + j]!;
      const mean = sum / c;
      let sq = 0;
      for (let ci = 0; ci < c; ci++) sq += (f[x + ci * hw + j]! - mean) ** 2;
      const inv = 1 / Math.sqrt(sq / c + eps);
      for (let ci = 0; ci < c; ci++) f[dst + ci * hw + j] = (f[x + ci * hw + j]! - mean) * inv * f[gamma + ci]! + f[beta + ci]!;
    }
  },
  mean(f, x, dst, planes, size) {
    for (let p = 0; p < planes; p++) {
      let sum = 0;
      for (let i = p * size; i < (p + 1) * size; i++) sum += f[x + i]!;
      f[dst + p] = sum / size;
    }
  },
};
