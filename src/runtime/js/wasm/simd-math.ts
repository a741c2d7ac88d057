/**
 * SIMD code for the activation functions of activation.ts, emitted into a kernel under
 * construction: each emitter rewrites a v128 local in place, using the scratch locals it is given.
 * exp is Cephes' expf (range reduction by ln 2, a degree-5 polynomial, the exponent built in the
 * float's bits), within 2 ulp; erf is the rational function of activation.ts.
 */
import { Act, erfDenominator, erfNumerator, type ActOp } from '../activation.js';
import type { Func } from './encoder.js';

/** Scratch v128 locals an emitter may overwrite, and the splatted parameters a and b. */
export interface MathLocals {
  t0: number;
  t1: number;
  t2: number;
  t3: number;
  a: number;
  b: number;
  /** Use relaxed SIMD's multiply-add. */
  fma: boolean;
}

/** x = x * m + c for v128 locals (or x * m then + c with constants already on the stack). */
function madd(f: Func, m: MathLocals, x: () => void, mul: () => void, add: () => void): void {
  if (m.fma) {
    x(); mul(); add();
    f.f32x4RelaxedMadd();
  } else {
    x(); mul(); f.f32x4Mul(); add(); f.f32x4Add();
  }
}

/** v = exp(v). */
export function emitExp(f: Func, v: number, m: MathLocals): void {
  f.get(v).f32x4Const(-87.3).f32x4Pmax().f32x4Const(88.37).f32x4Pmin().set(v);
  // n = nearest(v / ln 2); r = v - n * ln 2 (in two parts, so that r is exact).
  f.get(v).f32x4Const(Math.LOG2E).f32x4Mul().f32x4Nearest().set(m.t0);
  f.get(v).get(m.t0).f32x4Const(0.693359375).f32x4Mul().f32x4Sub().get(m.t0).f32x4Const(-2.12194440e-4).f32x4Mul().f32x4Sub().set(v);
  const poly = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
  f.f32x4Const(poly[0]!).set(m.t1);
  for (const c of poly.slice(1)) madd(f, m, () => f.get(m.t1), () => f.get(v), () => f.f32x4Const(c)), f.set(m.t1);
  // y = p * r^2 + r + 1
  f.get(m.t1).get(v).f32x4Mul().get(v).f32x4Mul().get(v).f32x4Add().f32x4Const(1).f32x4Add().set(m.t1);
  // 2^n from the exponent bits: (n + 127) << 23.
  f.get(m.t0).i32x4TruncSatF32x4S().i32x4Const(127).i32x4Add().set(m.t0);
  f.get(m.t0).i32(23).i32x4Shl().set(m.t0);
  f.get(m.t1).get(m.t0).f32x4Mul().set(v);
}

/** v = 1 / (1 + exp(-v)), or v * that for SiLU. */
function emitSigmoid(f: Func, v: number, m: MathLocals, timesX: boolean): void {
  f.get(v).set(m.t2);
  f.get(v).f32x4Neg().set(v);
  emitExp(f, v, m);
  f.f32x4Const(1).get(v).f32x4Const(1).f32x4Add().f32x4Div().set(v);
  if (timesX) f.get(v).get(m.t2).f32x4Mul().set(v);
}

/** v = erf(v), clamped to [-1, 1]. */
export function emitErf(f: Func, v: number, m: MathLocals): void {
  f.get(v).f32x4Const(-4).f32x4Pmax().f32x4Const(4).f32x4Pmin().set(v);
  f.get(v).get(v).f32x4Mul().set(m.t0);
  f.f32x4Const(erfNumerator[0]!).set(m.t1);
  for (const c of erfNumerator.slice(1)) madd(f, m, () => f.get(m.t1), () => f.get(m.t0), () => f.f32x4Const(c)), f.set(m.t1);
  f.f32x4Const(erfDenominator[0]!).set(m.t2);
  for (const c of erfDenominator.slice(1)) madd(f, m, () => f.get(m.t2), () => f.get(m.t0), () => f.f32x4Const(c)), f.set(m.t2);
  f.get(v).get(m.t1).f32x4Mul().get(m.t2).f32x4Div().f32x4Const(-1).f32x4Pmax().f32x4Const(1).f32x4Pmin().set(v);
}

/** v = op(v). */
export function emitActivation(f: Func, op: ActOp, v: number, m: MathLocals): void {
  switch (op) {
    case Act.none: return;
    case Act.relu: f.get(v).v128Zero().f32x4Pmax().set(v); return;
    case Act.clip: f.get(v).get(m.a).f32x4Pmax().get(m.b).f32x4Pmin().set(v); return;
    case Act.hardSigmoid:
      f.get(v).get(m.a).f32x4Mul().get(m.b).f32x4Add().v128Zero().f32x4Pmax().f32x4Const(1).f32x4Pmin().set(v);
      return;
    case Act.hardSwish:
      f.get(v).f32x4Const(1 / 6).f32x4Mul().f32x4Const(0.5).f32x4Add().v128Zero().f32x4Pmax().f32x4Const(1).f32x4Pmin();
      f.get(v).f32x4Mul().set(v);
      return;
    case Act.sigmoid: emitSigmoid(f, v, m, false); return;
    case Act.silu: emitSigmoid(f, v, m, true); return;
    case Act.erf: emitErf(f, v, m); return;
    case Act.gelu: {
      // 0.5 x (1 + erf(x / sqrt 2))
      f.get(v).set(m.t3);
      f.get(v).f32x4Const(Math.SQRT1_2).f32x4Mul().set(v);
      emitErf(f, v, m);
      f.get(v).f32x4Const(1).f32x4Add().get(m.t3).f32x4Mul().f32x4Const(0.5).f32x4Mul().set(v);
      return;
    }
    case Act.affine: f.get(v).get(m.a).f32x4Mul().get(m.b).f32x4Add().set(v); return;
    case Act.geluTanh: {
      // x * sigmoid(2 z), z = sqrt(2 / pi) (x + 0.044715 x^3), since (1 + tanh z) / 2 = sigmoid(2 z).
      f.get(v).set(m.t3);
      f.get(v).get(v).f32x4Mul().f32x4Const(0.044715).f32x4Mul().f32x4Const(1).f32x4Add().get(v).f32x4Mul();
      f.f32x4Const(2 * Math.sqrt(2 / Math.PI)).f32x4Mul().set(v);
      emitSigmoid(f, v, m, false);
      f.get(v).get(m.t3).f32x4Mul().set(v);
      return;
    }
  }
}
