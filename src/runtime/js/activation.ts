/**
 * The activation functions the executor applies elementwise, either as a node of their own or
 * fused into the epilogue of the op before them (a Conv, a depthwise Conv): each is an op code with
 * up to two float parameters, so that it can be passed to a WebAssembly kernel or to the worker
 * thread as plain numbers. This file holds the reference (JS) definitions; wasm/vector-module.ts
 * has the SIMD ones, which must agree with these within float32 rounding.
 */

export const Act = {
  none: 0,
  relu: 1,
  /** min(max(x, a), b). */
  clip: 2,
  /** max(0, min(1, a * x + b)). */
  hardSigmoid: 3,
  /** x * max(0, min(1, x / 6 + 1 / 2)). */
  hardSwish: 4,
  sigmoid: 5,
  /** x * sigmoid(x) (SiLU, or swish). */
  silu: 6,
  /** x / 2 * (1 + erf(x / sqrt(2))): GELU as PyTorch computes it by default. */
  gelu: 7,
  erf: 8,
  /** x * a + b. */
  affine: 9,
  /** GELU's tanh approximation. */
  geluTanh: 10,
} as const;

export type ActOp = (typeof Act)[keyof typeof Act];

export interface Activation {
  op: ActOp;
  a: number;
  b: number;
}

export const noActivation: Activation = { op: Act.none, a: 0, b: 0 };

export function activation(op: ActOp, a = 0, b = 0): Activation {
  return { op, a, b };
}

/**
 * erf in float precision: a rational function of x on [-4, 4] (Eigen's fast erf, odd numerator of
 * degree 13 over an even denominator of degree 8), saturating to +-1 beyond, where float32 erf is
 * +-1 anyway; within 2e-7 of erf everywhere. The WebAssembly kernel evaluates the same polynomials.
 */
export const erfNumerator = [
  -2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5,
  -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2,
];
export const erfDenominator = [-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2];

export function erf(v: number): number {
  const x = Math.max(-4, Math.min(4, v));
  const x2 = x * x;
  let p = erfNumerator[0]!;
  for (let i = 1; i < erfNumerator.length; i++) p = p * x2 + erfNumerator[i]!;
  let q = erfDenominator[0]!;
  for (let i = 1; i < erfDenominator.length; i++) q = q * x2 + erfDenominator[i]!;
  // Clamped: the rational function overshoots 1 by an ulp near |x| = 4, which GELU would show.
  return Math.max(-1, Math.min(1, (x * p) / q));
}

function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** The scalar function of an activation. */
export function scalarOf(act: Activation): (x: number) => number {
  const { a, b } = act;
  switch (act.op) {
    case Act.none: return (x) => x;
    case Act.relu: return (x) => (x > 0 ? x : x === x ? 0 : x);
    case Act.clip: return (x) => {
      const y = x < a ? a : x; // then min with b, so that min > max gives max, as ONNX says
      return y > b ? b : y;
    };
    case Act.hardSigmoid: return (x) => Math.max(0, Math.min(1, a * x + b));
    case Act.hardSwish: return (x) => x * Math.max(0, Math.min(1, x / 6 + 0.5));
    case Act.sigmoid: return sigmoid;
    case Act.silu: return (x) => x * sigmoid(x);
    case Act.gelu: return (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2));
    case Act.erf: return erf;
    case Act.affine: return (x) => x * a + b;
    case Act.geluTanh: return (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }
}

/** dst[i] = f(src[i]) for i in [from, to). */
export function applyActivation(act: Activation, src: Float32Array, dst: Float32Array, from = 0, to = src.length): void {
  if (act.op === Act.none) {
    if (src !== dst) dst.set(src.subarray(from, to), from);
    return;
  }
  const f = scalarOf(act);
  for (let i = from; i < to; i++) dst[i] = f(src[i]!);
}
