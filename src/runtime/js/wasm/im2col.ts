/**
 * The WebAssembly im2col packer: one row of the implicit im2col matrix (one input channel and
 * kernel offset), columns [j0, j0+nc), written in packed-B layout (column t at
 * dst + (t >> 3)*panelStride + (t & 7)*4 for NR = 8). Output rows are handled as runs: zeros
 * where the window is in the padding, a strided copy of the input row in between.
 *
 *   im2col(dst, panelStride, plane, w, h, sw, sh, xOff, yOff, ow, oy, ox, nc, oxLo, oxHi)
 *
 * plane is the byte address of the input channel; the input column of output column ox is
 * ox*sw + xOff, valid for ox in [oxLo, oxHi); the input row of output row oy is oy*sh + yOff.
 */
import { Func, i32 } from './encoder.js';

export function im2colKernel(nr: number): Func {
  const shift = Math.log2(nr);
  const f = new Func('im2col', Array<typeof i32>(15).fill(i32));
  const [dst, pstride, plane, w, h, sw, sh, xOff, yOff, ow, oy, ox, nc, oxLo, oxHi] = Array.from({ length: 15 }, (_, i) => i) as number[];
  const [t, end, iy, lo, hi, s, step] = [0, 0, 0, 0, 0, 0, 0].map(() => f.local(i32)) as number[];
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
  address();
  f.get(s!).f32Load().f32Store();
  f.get(s!).get(step!).i32Add().set(s!);
  f.get(t!).i32(1).i32Add().set(t!).br(0).end().end();
  zeroUpTo(end!);
  f.else();
  zeroUpTo(end!);
  f.end();
  f.i32(0).set(ox);
  f.get(oy).i32(1).i32Add().set(oy);
  f.br(0);
  f.end().end();
  return f;
}
