/**
 * The WebAssembly im2col packer: rows [row0, row0 + rows) of the implicit im2col matrix of an
 * image (row r: input channel r / (kh*kw) and kernel offset r % (kh*kw)), columns [j0, j0+nc),
 * written in packed-B layout (row k of the block at dst + k*NR*4, column t at
 * dst + (t >> 3)*panelStride + (t & 7)*4 for NR = 8). Output rows are handled as runs: zeros
 * where the window is in the padding, a strided copy of the input row in between, four columns at
 * a time where they fall in one row of a panel (strides 1 and 2). One call packs a whole block,
 * so that the geometry of each row is worked out here rather than in JS.
 *
 *   im2col_rows(dst, panelStride, image, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ow, row0, rows, j0, nc)
 *
 * image is the byte address of the image's first channel; addresses and panelStride in bytes.
 */
import { Func, i32, v128 } from './encoder.js';

export function im2colKernel(nr: number): Func {
  const shift = Math.log2(nr);
  const f = new Func('im2col_rows', Array<typeof i32>(18).fill(i32));
  const [rowsDst, pstride, image, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ow, row0, rows, j0, nc] = Array.from({ length: 18 }, (_, i) => i) as number[];
  const [t, end, iy, lo, hi, s, step] = [0, 0, 0, 0, 0, 0, 0].map(() => f.local(i32)) as number[];
  const [dst, plane, xOff, yOff, oy, ox, oxLo, oxHi, kk, r, ci, ky, kx] = Array.from({ length: 13 }, () => f.local(i32)) as number[];
  const vec = f.local(v128);
  /** Pushes the byte address of column t. */
  const address = () => f.get(dst).get(t!).i32(shift).i32ShrU().get(pstride).i32Mul().i32Add().get(t!).i32(nr - 1).i32And().i32(2).i32Shl().i32Add();
  /** Writes zeros while t < limit (a local). */
  const zeroUpTo = (limit: number) => {
    f.block().loop().get(t!).get(limit).i32GeS().brIf(1);
    address();
    f.f32Zero().f32Store().get(t!).i32(1).i32Add().set(t!).br(0).end().end();
  };
  /** Pushes min(a, b) of two values produced by the callbacks. */
  const min = (a: () => void, b: () => void) => {
    a(); b(); a(); b(); f.i32LtS().select();
  };
  f.get(sw).i32(2).i32Shl().set(step!);
  f.i32(0).set(kk!).block().loop(); // for each row of the block
  f.get(kk!).get(rows).i32GeS().brIf(1);
  // The row's channel and kernel offset, and the output columns whose input column is inside.
  f.get(row0).get(kk!).i32Add().set(r!);
  f.get(r!).get(kh).get(kw).i32Mul().i32DivS().set(ci!);
  f.get(r!).get(ci!).get(kh).get(kw).i32Mul().i32Mul().i32Sub().tee(kx!).get(kw).i32DivS().set(ky!);
  f.get(kx!).get(ky!).get(kw).i32Mul().i32Sub().set(kx!);
  f.get(kx!).get(dw).i32Mul().get(pw).i32Sub().set(xOff!);
  f.get(ky!).get(dh).i32Mul().get(ph).i32Sub().set(yOff!);
  // oxLo = xOff >= 0 ? 0 : ceil(-xOff / sw)
  f.i32(0).i32(0).get(xOff!).i32Sub().get(sw).i32Add().i32(1).i32Sub().get(sw).i32DivS().get(xOff!).i32(0).i32GeS().select().set(oxLo!);
  // oxHi = w - 1 - xOff < 0 ? 0 : min(ow, (w - 1 - xOff) / sw + 1)
  f.get(w).i32(1).i32Sub().get(xOff!).i32Sub().set(oxHi!);
  f.get(oxHi!).i32(0).i32LtS().if().i32(0).set(oxHi!).else();
  min(() => f.get(ow), () => f.get(oxHi!).get(sw).i32DivS().i32(1).i32Add());
  f.set(oxHi!).end();
  f.get(image).get(ci!).get(h).i32Mul().get(w).i32Mul().i32(2).i32Shl().i32Add().set(plane!);
  f.get(rowsDst).get(kk!).i32(nr * 4).i32Mul().i32Add().set(dst!);
  f.get(j0).get(ow).i32DivS().set(oy!);
  f.get(j0).get(oy!).get(ow).i32Mul().i32Sub().set(ox!);
  f.i32(0).set(t!);
  f.block().loop();
  f.get(t!).get(nc).i32GeS().brIf(1);
  // end = t + min(ow - ox, nc - t)
  min(() => f.get(ow).get(ox).i32Sub(), () => f.get(nc).get(t!).i32Sub());
  f.get(t!).i32Add().set(end!);
  f.get(oy).get(sh).i32Mul().get(yOff).i32Add().set(iy!);
  f.get(iy!).get(h).i32LtU().if();
  // lo = max(ox, min(oxLo, ox + run)) as a column count from t; hi likewise.
  min(() => f.get(oxLo), () => f.get(ox).get(end!).i32Add().get(t!).i32Sub());
  f.set(lo!);
  f.get(lo!).get(ox).get(lo!).get(ox).i32GtS().select().set(lo!);
  min(() => f.get(oxHi), () => f.get(ox).get(end!).i32Add().get(t!).i32Sub());
  f.set(hi!);
  f.get(hi!).get(lo!).get(hi!).get(lo!).i32GtS().select().set(hi!);
  // s = plane + (iy*w + lo*sw + xOff)*4, then lo and hi become column indices.
  f.get(plane).get(iy!).get(w).i32Mul().get(lo!).get(sw).i32Mul().i32Add().get(xOff).i32Add().i32(2).i32Shl().i32Add().set(s!);
  f.get(t!).get(lo!).i32Add().get(ox).i32Sub().set(lo!);
  f.get(t!).get(hi!).i32Add().get(ox).i32Sub().set(hi!);
  zeroUpTo(lo!);
  f.block().loop().get(t!).get(hi!).i32GeS().brIf(1);
  // Four columns at once where they lie in one row of a panel (t % 8 <= 4) and the stride is 1 or 2
  // (a stride of 2 takes the even lanes of eight floats, of which the eighth must still be in the run).
  f.get(t!).i32(7).i32And().i32(5).i32LtS().get(hi!).get(t!).i32Sub().i32(4).i32(5).get(sw).i32(1).i32Eq().select().i32GeS().i32And();
  f.get(sw).i32(3).i32LtU().i32And().if();
  address();
  f.get(sw).i32(1).i32Eq().if();
  f.get(s!).v128Load().set(vec!);
  f.else();
  f.get(s!).v128Load().get(s!).v128Load(16).i8x16Shuffle([0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27]).set(vec!);
  f.end();
  f.get(vec!).v128Store();
  f.get(s!).get(step!).i32(2).i32Shl().i32Add().set(s!);
  f.get(t!).i32(4).i32Add().set(t!).br(1);
  f.end();
  address();
  f.get(s!).f32Load().f32Store();
  f.get(s!).get(step!).i32Add().set(s!);
  f.get(t!).i32(1).i32Add().set(t!).br(0).end().end();
  zeroUpTo(end!);
  f.else();
  zeroUpTo(end!);
  f.end();
  f.i32(0).set(ox!);
  f.get(oy!).i32(1).i32Add().set(oy!);
  f.br(0);
  f.end().end();
  f.get(kk!).i32(1).i32Add().set(kk!).br(0);
  f.end().end();
  return f;
}
