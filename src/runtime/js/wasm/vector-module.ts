/**
 * The WebAssembly SIMD kernels for elementwise and per-plane work, generated with encoder.ts. All
 * addresses are in bytes, counts in floats; lengths need not be multiples of 4 (the last partial
 * vector is assembled lane by lane, so a kernel never touches memory past its arrays).
 *
 *   act_<op>(src, dst, n, a, b)          dst[i] = op(src[i]) (activation.ts; a, b its parameters)
 *   binary_<op>(x, y, dst, n)            dst[i] = x[i] op y[i]       (op: add, sub, mul, div)
 *   rows_<op>(x, s, dst, rows, len)      dst[r][i] = x[r][i] op s[r]  (a per-channel operand)
 *   cols_<op>(x, s, dst, rows, len)      dst[r][i] = x[r][i] op s[i]  (a per-last-axis operand)
 *   act_any(src, dst, n, op, a, b)       act_<op> for the op code of activation.ts (0: nothing)
 *   mean(x, dst, planes, size)           dst[p] = mean of x[p][0..size)
 *
 * dst may be the same array as x or src (in place).
 */
import { Act, type ActOp } from '../activation.js';
import { f32, Func, i32, v128 } from './encoder.js';
import { emitActivation, type MathLocals } from './simd-math.js';

export const binaryOps = ['add', 'sub', 'mul', 'div'] as const;
export type VectorBinaryOp = (typeof binaryOps)[number];

function emitBinary(f: Func, op: VectorBinaryOp): void {
  if (op === 'add') f.f32x4Add();
  else if (op === 'sub') f.f32x4Sub();
  else if (op === 'mul') f.f32x4Mul();
  else f.f32x4Div();
}

interface Stream {
  /** Local holding the byte address of element 0. */
  base: number;
}

/**
 * A loop over n floats (local `n`), 4 at a time, then the last 1-3 lane by lane: for each
 * position, `inputs` are loaded into the locals `into`, `body` computes the local `out`, which is
 * stored at `dst`.
 */
function emitStreams(f: Func, n: number, inputs: Stream[], into: number[], dst: Stream, out: number, body: () => void): void {
  const [i, end, rem] = [f.local(i32), f.local(i32), f.local(i32)];
  f.get(n).i32(-4).i32And().i32(2).i32Shl().set(end);
  f.i32(0).set(i);
  f.block().loop();
  f.get(i).get(end).i32GeS().brIf(1);
  inputs.forEach((s, k) => f.get(s.base).get(i).i32Add().v128Load().set(into[k]!));
  body();
  f.get(dst.base).get(i).i32Add().get(out).v128Store();
  f.get(i).i32(16).i32Add().set(i).br(0);
  f.end().end();
  // The last n % 4 elements.
  f.get(n).i32(3).i32And().tee(rem).if();
  inputs.forEach((s, k) => {
    f.v128Zero().set(into[k]!);
    for (let lane = 0; lane < 3; lane++) {
      f.get(rem).i32(lane).i32GtS().if();
      f.get(into[k]!).get(s.base).get(end).i32Add().f32Load(4 * lane).f32x4ReplaceLane(lane).set(into[k]!);
      f.end();
    }
  });
  body();
  for (let lane = 0; lane < 3; lane++) {
    f.get(rem).i32(lane).i32GtS().if();
    f.get(dst.base).get(end).i32Add().get(out).f32x4ExtractLane(lane).f32Store(4 * lane);
    f.end();
  }
  f.end();
}

function mathLocals(f: Func, fma: boolean): MathLocals {
  return { t0: f.local(v128), t1: f.local(v128), t2: f.local(v128), t3: f.local(v128), a: f.local(v128), b: f.local(v128), fma };
}

function activationKernel(name: string, op: ActOp, fma: boolean): Func {
  const f = new Func(`act_${name}`, [i32, i32, i32, f32, f32]);
  const [src, dst, n, a, b] = [0, 1, 2, 3, 4];
  const m = mathLocals(f, fma);
  const v = f.local(v128);
  f.get(a).f32x4Splat().set(m.a);
  f.get(b).f32x4Splat().set(m.b);
  emitStreams(f, n, [{ base: src }], [v], { base: dst }, v, () => emitActivation(f, op, v, m));
  return f;
}

function binaryKernel(op: VectorBinaryOp): Func {
  const f = new Func(`binary_${op}`, [i32, i32, i32, i32]);
  const [x, y, dst, n] = [0, 1, 2, 3];
  const [u, w] = [f.local(v128), f.local(v128)];
  emitStreams(f, n, [{ base: x }, { base: y }], [u, w], { base: dst }, u, () => {
    f.get(u).get(w);
    emitBinary(f, op);
    f.set(u);
  });
  return f;
}

/** rows_<op> (s[r] splatted over row r) or cols_<op> (s itself along each row). */
function broadcastKernel(kind: 'rows' | 'cols', op: VectorBinaryOp): Func {
  const f = new Func(`${kind}_${op}`, [i32, i32, i32, i32, i32]);
  const [x, s, dst, rows, len] = [0, 1, 2, 3, 4];
  const [r, xr, dr, u, w] = [f.local(i32), f.local(i32), f.local(i32), f.local(v128), f.local(v128)];
  f.i32(0).set(r).block().loop();
  f.get(r).get(rows).i32GeS().brIf(1);
  f.get(r).get(len).i32Mul().i32(2).i32Shl().tee(xr).get(dst).i32Add().set(dr);
  f.get(xr).get(x).i32Add().set(xr);
  if (kind === 'rows') {
    f.get(s).get(r).i32(2).i32Shl().i32Add().v128Load32Splat().set(w);
    emitStreams(f, len, [{ base: xr }], [u], { base: dr }, u, () => {
      f.get(u).get(w);
      emitBinary(f, op);
      f.set(u);
    });
  } else {
    emitStreams(f, len, [{ base: xr }, { base: s }], [u, w], { base: dr }, u, () => {
      f.get(u).get(w);
      emitBinary(f, op);
      f.set(u);
    });
  }
  f.get(r).i32(1).i32Add().set(r).br(0);
  f.end().end();
  return f;
}

function meanKernel(): Func {
  const f = new Func('mean', [i32, i32, i32, i32]);
  const [x, dst, planes, size] = [0, 1, 2, 3];
  const [p, base, acc, v] = [f.local(i32), f.local(i32), f.local(v128), f.local(v128)];
  f.i32(0).set(p).block().loop();
  f.get(p).get(planes).i32GeS().brIf(1);
  f.get(p).get(size).i32Mul().i32(2).i32Shl().get(x).i32Add().set(base);
  f.v128Zero().set(acc);
  emitSum(f, base, size, acc, v);
  f.get(dst).get(p).i32(2).i32Shl().i32Add();
  f.get(acc).f32x4ExtractLane(0).get(acc).f32x4ExtractLane(1).f32Add().get(acc).f32x4ExtractLane(2).f32Add().get(acc).f32x4ExtractLane(3).f32Add();
  f.get(size).f32ConvertI32S().f32Div().f32Store();
  f.get(p).i32(1).i32Add().set(p).br(0);
  f.end().end();
  return f;
}

/** acc += the n floats at base (local), 4 lanes at a time. */
function emitSum(f: Func, base: number, n: number, acc: number, v: number): void {
  const [i, end] = [f.local(i32), f.local(i32)];
  f.get(n).i32(-4).i32And().i32(2).i32Shl().set(end);
  f.i32(0).set(i).block().loop();
  f.get(i).get(end).i32GeS().brIf(1);
  f.get(acc).get(base).get(i).i32Add().v128Load().f32x4Add().set(acc);
  f.get(i).i32(16).i32Add().set(i).br(0);
  f.end().end();
  for (let lane = 0; lane < 3; lane++) {
    f.get(n).i32(3).i32And().i32(lane).i32GtS().if();
    f.get(acc).v128Zero().get(base).get(end).i32Add().f32Load(4 * lane).f32x4ReplaceLane(0).f32x4Add().set(acc);
    f.end();
  }
}

/** act_any: a branch table on the op code to the act_<name> kernel (for kernels that apply any). */
function anyActivation(): Func {
  const f = new Func('act_any', [i32, i32, i32, i32, f32, f32]);
  const [src, dst, n, op, a, b] = [0, 1, 2, 3, 4, 5];
  const most = Math.max(...activationNames.map(([, code]) => code));
  // Blocks nested most + 2 deep: br_table leaves block k (counted from the inside) to run op k.
  for (let k = 0; k <= most + 1; k++) f.block();
  f.get(op).brTable(Array.from({ length: most + 1 }, (_, k) => k), most + 1);
  for (let k = 0; k <= most; k++) {
    f.end();
    const entry = activationNames.find(([, code]) => code === k);
    if (entry) f.get(src).get(dst).get(n).get(a).get(b).call(`act_${entry[0]}`);
    f.return();
  }
  f.end();
  return f;
}

/** The activation functions with a kernel here, by name. */
export const activationNames: readonly [string, ActOp][] = Object.entries(Act).filter(([, op]) => op !== Act.none) as [string, ActOp][];

export function vectorFunctions(fma: boolean): Func[] {
  return [
    ...activationNames.map(([name, op]) => activationKernel(name, op, fma)),
    ...binaryOps.map(binaryKernel),
    ...binaryOps.map((op) => broadcastKernel('rows', op)),
    ...binaryOps.map((op) => broadcastKernel('cols', op)),
    meanKernel(),
    anyActivation(),
  ];
}
