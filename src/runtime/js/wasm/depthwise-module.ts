/**
 * The WebAssembly SIMD depthwise convolution kernels (see depthwise/task.ts), generated with
 * encoder.ts: one function per square kernel size and stride, vectorized across the output row
 * (4 outputs per vector, 4 vectors per step for independent accumulators), reading the padded copy
 * of the input plane with no bounds checks. Addresses are in bytes.
 *
 *   dw_k<K>_s<S>(src, wp, dst, oh, ow, w, bias)
 *     dst[oy][ox] = bias + sum w[ky][kx] * src[oy*S + ky][ox*S + kx], for the padded plane src
 *     of row length wp and the K x K weights w.
 *
 *   max_k<K>_s<S>(src, wp, dst, oh, ow, w, init)
 *     dst[oy][ox] = max(init, max src[oy*S + ky][ox*S + kx]) (w unused; init is -Infinity).
 *
 *   dw_planes_k<K>_s<S>(x, y, w, bias, n, c, mult, h, wd, oh, ow, pt, pl, scratch, wp, act, a, b, p0, p1)
 *   max_planes_k<K>_s<S>(same)
 *     Output planes [p0, p1) of a depthwise task (depthwise/task.ts) in one call: for each, the
 *     input plane copied into the scratch block (whose padding the caller has set), the plane's
 *     kernel above, then its activation (act_any; a max pool has none). bias 0: none.
 */
import { f32, Func, i32, v128 } from './encoder.js';

export const depthwiseShapes: readonly (readonly [number, number])[] = [[3, 1], [3, 2], [5, 1], [5, 2], [7, 1], [7, 2]];

interface ConvLocals {
  rows: number[];
  weights: number[];
  acc: number[];
}

/** Pushes the 4 inputs of output vector `vec` (relative to the row pointers) for tap (ky, kx). */
function loadInputs(f: Func, l: ConvLocals, s: number, ky: number, kx: number, vec: number): void {
  const at = (4 * vec * s + kx) * 4;
  if (s === 1) {
    f.get(l.rows[ky]!).v128Load(at);
    return;
  }
  // Stride 2: the even lanes of eight consecutive floats.
  f.get(l.rows[ky]!).v128Load(at).get(l.rows[ky]!).v128Load(at + 16);
  f.i8x16Shuffle([0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27]);
}

/**
 * Accumulates `vecs` output vectors starting at the row pointers' column into acc[0..vecs): the
 * weighted sum (conv), or the max (pool; f32x4.max keeps a NaN, as the JS kernels do).
 */
function emitTaps(f: Func, l: ConvLocals, k: number, s: number, vecs: number, fma: boolean, bias: number, max: boolean): void {
  for (let v = 0; v < vecs; v++) f.get(bias).set(l.acc[v]!);
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      for (let v = 0; v < vecs; v++) {
        if (max) {
          f.get(l.acc[v]!);
          loadInputs(f, l, s, ky, kx, v);
          f.f32x4Max().set(l.acc[v]!);
        } else if (fma) {
          f.get(l.weights[ky * k + kx]!);
          loadInputs(f, l, s, ky, kx, v);
          f.get(l.acc[v]!).f32x4RelaxedMadd().set(l.acc[v]!);
        } else {
          f.get(l.acc[v]!).get(l.weights[ky * k + kx]!);
          loadInputs(f, l, s, ky, kx, v);
          f.f32x4Mul().f32x4Add().set(l.acc[v]!);
        }
      }
    }
  }
}

function convKernel(k: number, s: number, fma: boolean, max: boolean): Func {
  const f = new Func(`${max ? 'max' : 'dw'}_k${k}_s${s}`, [i32, i32, i32, i32, i32, i32, f32]);
  const [src, wp, dst, oh, ow, w, bias] = [0, 1, 2, 3, 4, 5, 6];
  const [oy, ox, rowIn, out, stride, biasV] = [f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(v128)];
  const l: ConvLocals = {
    rows: Array.from({ length: k }, () => f.local(i32)),
    weights: Array.from({ length: k * k }, () => f.local(v128)),
    acc: Array.from({ length: 4 }, () => f.local(v128)),
  };
  if (!max) l.weights.forEach((x, i) => f.get(w).v128Load32Splat(4 * i).set(x));
  f.get(bias).f32x4Splat().set(biasV);
  f.get(wp).i32(2).i32Shl().set(stride);
  /** Row pointers for output column ox (a local) of the current output row. */
  const rowsAt = () => {
    f.get(rowIn).get(ox).i32(s * 4).i32Mul().i32Add().set(l.rows[0]!);
    for (let ky = 1; ky < k; ky++) f.get(l.rows[ky - 1]!).get(stride).i32Add().set(l.rows[ky]!);
  };
  const store = (vecs: number) => {
    for (let v = 0; v < vecs; v++) f.get(out).get(ox).i32(2).i32Shl().i32Add().get(l.acc[v]!).v128Store(16 * v);
  };
  f.i32(0).set(oy).block().loop();
  f.get(oy).get(oh).i32GeS().brIf(1);
  f.get(src).get(oy).i32(s).i32Mul().get(stride).i32Mul().i32Add().set(rowIn);
  f.get(dst).get(oy).get(ow).i32Mul().i32(2).i32Shl().i32Add().set(out);
  f.i32(0).set(ox);
  for (const vecs of [4, 1]) {
    // while ox + 4 * vecs <= ow
    f.block().loop();
    f.get(ox).i32(4 * vecs).i32Add().get(ow).i32GtS().brIf(1);
    rowsAt();
    emitTaps(f, l, k, s, vecs, fma, biasV, max);
    store(vecs);
    f.get(ox).i32(4 * vecs).i32Add().set(ox).br(0);
    f.end().end();
  }
  // The last ow % 4 outputs: a vector ending at the row's end (recomputing a few), or lane by
  // lane when the row is shorter than a vector.
  f.get(ox).get(ow).i32LtS().if();
  f.get(ow).i32(4).i32GeS().if();
  f.get(ow).i32(4).i32Sub().set(ox);
  rowsAt();
  emitTaps(f, l, k, s, 1, fma, biasV, max);
  store(1);
  f.else();
  f.i32(0).set(ox);
  rowsAt();
  emitTaps(f, l, k, s, 1, fma, biasV, max);
  for (let lane = 0; lane < 3; lane++) {
    f.get(ow).i32(lane).i32GtS().if();
    f.get(out).get(l.acc[0]!).f32x4ExtractLane(lane).f32Store(4 * lane);
    f.end();
  }
  f.end();
  f.end();
  f.get(oy).i32(1).i32Add().set(oy).br(0);
  f.end().end();
  return f;
}

/** The max pools with a kernel here (ResNet's stem is 3 x 3, stride 2). */
export const maxPoolShapes: readonly (readonly [number, number])[] = [[2, 2], [3, 1], [3, 2]];

/** The plane loop around a plane kernel: offsets, padded copy, kernel, activation. */
function planesKernel(k: number, s: number, max: boolean): Func {
  const kind = max ? 'max' : 'dw';
  const names = ['x', 'y', 'w', 'bias', 'n', 'c', 'mult', 'h', 'wd', 'oh', 'ow', 'pt', 'pl', 'scratch', 'wp', 'act', 'a', 'b', 'p0', 'p1'] as const;
  const f = new Func(`${kind}_planes_k${k}_s${s}`, names.map((n) => (n === 'a' || n === 'b' ? f32 : i32)));
  const v = Object.fromEntries(names.map((n, i) => [n, i])) as Record<(typeof names)[number], number>;
  const [p, o, src, dst, row] = [f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32)];
  f.get(v.p0).set(p).block().loop().get(p).get(v.p1).i32GeS().brIf(1);
  // o = p % (c*mult); src = x + ((p / (c*mult)) * c + o / mult) * h * wd; dst = y + p * oh * ow
  f.get(p).get(p).get(v.c).get(v.mult).i32Mul().tee(o).i32DivS().get(o).i32Mul().i32Sub().set(o);
  f.get(p).get(v.c).get(v.mult).i32Mul().i32DivS().get(v.c).i32Mul().get(o).get(v.mult).i32DivS().i32Add();
  f.get(v.h).i32Mul().get(v.wd).i32Mul().i32(2).i32Shl().get(v.x).i32Add().set(src);
  f.get(p).get(v.oh).i32Mul().get(v.ow).i32Mul().i32(2).i32Shl().get(v.y).i32Add().set(dst);
  // The plane's rows into the scratch block, at row pt, column pl.
  f.i32(0).set(row).block().loop().get(row).get(v.h).i32GeS().brIf(1);
  f.get(v.scratch).get(row).get(v.pt).i32Add().get(v.wp).i32Mul().get(v.pl).i32Add().i32(2).i32Shl().i32Add();
  f.get(src).get(row).get(v.wd).i32Mul().i32(2).i32Shl().i32Add();
  f.get(v.wd).i32(2).i32Shl().memoryCopy();
  f.get(row).i32(1).i32Add().set(row).br(0).end().end();
  f.get(v.scratch).get(v.wp).get(dst).get(v.oh).get(v.ow);
  f.get(v.w).get(o).i32(k * k * 4).i32Mul().i32Add();
  if (max) f.f32Const(-Infinity);
  // bias[o], or 0 without a bias (the load then reads the arena's first floats, harmlessly).
  else f.get(v.bias).get(o).i32(2).i32Shl().i32Add().f32Load().f32Zero().get(v.bias).select();
  f.call(`${kind}_k${k}_s${s}`);
  if (!max) f.get(dst).get(dst).get(v.oh).get(v.ow).i32Mul().get(v.act).get(v.a).get(v.b).call('act_any');
  f.get(p).i32(1).i32Add().set(p).br(0).end().end();
  return f;
}

export function depthwiseFunctions(fma: boolean): Func[] {
  return [
    ...depthwiseShapes.flatMap(([k, s]) => [convKernel(k, s, fma, false), planesKernel(k, s, false)]),
    ...maxPoolShapes.flatMap(([k, s]) => [convKernel(k, s, fma, true), planesKernel(k, s, true)]),
  ];
}
