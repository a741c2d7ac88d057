/**
 * The WebAssembly SIMD GEMM kernels, generated with encoder.ts. All addresses and strides are in
 * bytes; address 0 means "absent" (the arena never hands it out).
 *
 *   macro(mTiles, nTiles, kc, a, aStride, b, c, ldc, flags, bias, res, ldr)
 *     For each whole tile (i, j): C[i*MR.., j*NR..] (+)= A panel `a + i*aStride` (kc steps of MR
 *     floats) times B panel `b + j*kc*NR*4` (kc steps of NR floats). flags: 1 accumulate into C,
 *     2 apply the epilogue (+ bias per row, + residual R, then 4: ReLU) before storing.
 *
 *   pack(src, ld, kc, panels, dst)
 *     Copies `panels` whole column panels of a row-major matrix (row stride ld) into packed-B
 *     layout: panel q, row kk at dst + (q*kc + kk)*NR*4.
 *
 *   im2col(...): one row of an implicit im2col matrix, see im2col.ts.
 */
import { Func, i32, v128 } from './encoder.js';
import { im2colKernel } from './im2col.js';

export interface MacroShape {
  /** Rows per tile. */
  mr: number;
  /** 4-float vectors per tile row; NR = 4 * nv. */
  nv: number;
  /** Use relaxed SIMD's multiply-add (one instruction where the CPU has FMA). */
  fma: boolean;
}

/** Adds bias and residual to the accumulators and applies ReLU, as flags say. */
function epilogue(f: Func, shape: MacroShape, acc: number[], p: { flags: number; bias: number; res: number; ldr: number; i: number; j: number; tmp: number; row: number }): void {
  const { mr, nv } = shape;
  f.get(p.bias).if();
  f.get(p.bias).get(p.i).i32(mr * 4).i32Mul().i32Add().set(p.row);
  for (let r = 0; r < mr; r++) {
    f.get(p.row).v128Load32Splat(4 * r).set(p.tmp);
    for (let v = 0; v < nv; v++) f.get(acc[r * nv + v]!).get(p.tmp).f32x4Add().set(acc[r * nv + v]!);
  }
  f.end();
  f.get(p.res).if();
  f.get(p.res).get(p.i).i32(mr).i32Mul().get(p.ldr).i32Mul().i32Add().get(p.j).i32(nv * 16).i32Mul().i32Add().set(p.row);
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < nv; v++) f.get(acc[r * nv + v]!).get(p.row).v128Load(16 * v).f32x4Add().set(acc[r * nv + v]!);
    if (r < mr - 1) f.get(p.row).get(p.ldr).i32Add().set(p.row);
  }
  f.end();
  f.get(p.flags).i32(4).i32And().if();
  f.v128Zero().set(p.tmp);
  for (const x of acc) f.get(x).get(p.tmp).f32x4Max().set(x);
  f.end();
}

function macroKernel(shape: MacroShape): Func {
  const { mr, nv } = shape;
  const nr = 4 * nv;
  const f = new Func('macro', Array<typeof i32>(12).fill(i32));
  const [mTiles, nTiles, kc, a, aStride, b, c, ldc, flags, bias, res, ldr] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [j, i, k, bp, ap, bk, cp, row] = [0, 0, 0, 0, 0, 0, 0, 0].map(() => f.local(i32)) as number[];
  const acc = Array.from({ length: mr * nv }, () => f.local(v128));
  const bv = Array.from({ length: nv }, () => f.local(v128));
  const av = f.local(v128);

  f.i32(0).set(j!).block().loop(); // for j in nTiles
  f.get(j!).get(nTiles).i32GeS().brIf(1);
  f.get(b).get(j!).get(kc).i32Mul().i32(nr * 4).i32Mul().i32Add().set(bp!);
  f.i32(0).set(i!).block().loop(); // for i in mTiles
  f.get(i!).get(mTiles).i32GeS().brIf(1);
  f.get(a).get(i!).get(aStride).i32Mul().i32Add().set(ap!);
  f.get(c).get(i!).i32(mr).i32Mul().get(ldc).i32Mul().i32Add().get(j!).i32(nr * 4).i32Mul().i32Add().set(cp!);
  // Accumulators from C, or zero.
  f.get(flags).i32(1).i32And().if();
  f.get(cp!).set(row!);
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < nv; v++) f.get(row!).v128Load(16 * v).set(acc[r * nv + v]!);
    if (r < mr - 1) f.get(row!).get(ldc).i32Add().set(row!);
  }
  f.else();
  for (const x of acc) f.v128Zero().set(x);
  f.end();
  // The k loop: one rank-1 update of the tile per step.
  f.get(bp!).set(bk!);
  f.get(kc).set(k!);
  f.block().get(k!).i32Eqz().brIf(0).loop();
  for (let v = 0; v < nv; v++) f.get(bk!).v128Load(16 * v).set(bv[v]!);
  for (let r = 0; r < mr; r++) {
    f.get(ap!).v128Load32Splat(4 * r).set(av);
    for (let v = 0; v < nv; v++) {
      const x = acc[r * nv + v]!;
      if (shape.fma) f.get(av).get(bv[v]!).get(x).f32x4RelaxedMadd().set(x);
      else f.get(x).get(av).get(bv[v]!).f32x4Mul().f32x4Add().set(x);
    }
  }
  f.get(ap!).i32(mr * 4).i32Add().set(ap!);
  f.get(bk!).i32(nr * 4).i32Add().set(bk!);
  f.get(k!).i32(1).i32Sub().tee(k!).brIf(0);
  f.end().end();
  f.get(flags).i32(2).i32And().if();
  epilogue(f, shape, acc, { flags, bias, res, ldr, i: i!, j: j!, tmp: av, row: row! });
  f.end();
  // Store the tile.
  f.get(cp!).set(row!);
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < nv; v++) f.get(row!).get(acc[r * nv + v]!).v128Store(16 * v);
    if (r < mr - 1) f.get(row!).get(ldc).i32Add().set(row!);
  }
  f.get(i!).i32(1).i32Add().set(i!).br(0);
  f.end().end();
  f.get(j!).i32(1).i32Add().set(j!).br(0);
  f.end().end();
  return f;
}

function packKernel(shape: MacroShape): Func {
  const nr = 4 * shape.nv;
  const f = new Func('pack', [i32, i32, i32, i32, i32]);
  const [src, ld, kc, panels, dst] = [0, 1, 2, 3, 4];
  const [kk, q, s, d] = [f.local(i32), f.local(i32), f.local(i32), f.local(i32)];
  f.i32(0).set(kk).block().loop();
  f.get(kk).get(kc).i32GeS().brIf(1);
  f.get(src).get(kk).get(ld).i32Mul().i32Add().set(s);
  f.get(dst).get(kk).i32(nr * 4).i32Mul().i32Add().set(d);
  f.i32(0).set(q).block().loop();
  f.get(q).get(panels).i32GeS().brIf(1);
  for (let v = 0; v < shape.nv; v++) f.get(d).get(s).v128Load(16 * v).v128Store(16 * v);
  f.get(s).i32(nr * 4).i32Add().set(s);
  f.get(d).get(kc).i32(nr * 4).i32Mul().i32Add().set(d);
  f.get(q).i32(1).i32Add().set(q).br(0);
  f.end().end();
  f.get(kk).i32(1).i32Add().set(kk).br(0);
  f.end().end();
  return f;
}

export function gemmFunctions(shape: MacroShape): Func[] {
  return [macroKernel(shape), packKernel(shape), im2colKernel(4 * shape.nv)];
}
