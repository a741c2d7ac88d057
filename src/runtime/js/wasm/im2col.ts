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

/** The function's parameters, by name (local indices). */
const params = ['rowsDst', 'pstride', 'image', 'h', 'w', 'kh', 'kw', 'sh', 'sw', 'ph', 'pw', 'dh', 'dw', 'ow', 'row0', 'rows', 'j0', 'nc'] as const;
/** Its other locals. */
const locals = ['t', 'end', 'iy', 'lo', 'hi', 's', 'step', 'dst', 'plane', 'xOff', 'yOff', 'oy', 'ox', 'oxLo', 'oxHi', 'kk', 'r', 'ci', 'ky', 'kx'] as const;
type L = Record<(typeof params)[number] | (typeof locals)[number] | 'vec', number>;

/** Pushes min(a, b) of two values produced by the callbacks. */
function min(f: Func, a: () => void, b: () => void): void {
  a(); b(); a(); b(); f.i32LtS().select();
}

/** Row r = row0 + kk: its channel, kernel offset, input plane, destination, and valid columns. */
function emitRowGeometry(f: Func, l: L, nr: number): void {
  f.get(l.row0).get(l.kk).i32Add().set(l.r);
  f.get(l.r).get(l.kh).get(l.kw).i32Mul().i32DivS().set(l.ci);
  f.get(l.r).get(l.ci).get(l.kh).get(l.kw).i32Mul().i32Mul().i32Sub().tee(l.kx).get(l.kw).i32DivS().set(l.ky);
  f.get(l.kx).get(l.ky).get(l.kw).i32Mul().i32Sub().set(l.kx);
  f.get(l.kx).get(l.dw).i32Mul().get(l.pw).i32Sub().set(l.xOff);
  f.get(l.ky).get(l.dh).i32Mul().get(l.ph).i32Sub().set(l.yOff);
  // oxLo = xOff >= 0 ? 0 : ceil(-xOff / sw)
  f.i32(0).i32(0).get(l.xOff).i32Sub().get(l.sw).i32Add().i32(1).i32Sub().get(l.sw).i32DivS().get(l.xOff).i32(0).i32GeS().select().set(l.oxLo);
  // oxHi = w - 1 - xOff < 0 ? 0 : min(ow, (w - 1 - xOff) / sw + 1)
  f.get(l.w).i32(1).i32Sub().get(l.xOff).i32Sub().set(l.oxHi);
  f.get(l.oxHi).i32(0).i32LtS().if().i32(0).set(l.oxHi).else();
  min(f, () => f.get(l.ow), () => f.get(l.oxHi).get(l.sw).i32DivS().i32(1).i32Add());
  f.set(l.oxHi).end();
  f.get(l.image).get(l.ci).get(l.h).i32Mul().get(l.w).i32Mul().i32(2).i32Shl().i32Add().set(l.plane);
  f.get(l.rowsDst).get(l.kk).i32(nr * 4).i32Mul().i32Add().set(l.dst);
  f.get(l.j0).get(l.ow).i32DivS().set(l.oy);
  f.get(l.j0).get(l.oy).get(l.ow).i32Mul().i32Sub().set(l.ox);
}

/** Copies columns [t, hi) from s: four at a time where possible, else one by one. */
function emitCopy(f: Func, l: L, address: () => void): void {
  f.block().loop().get(l.t).get(l.hi).i32GeS().brIf(1);
  // Four columns at once where they lie in one row of a panel (t % 8 <= 4) and the stride is 1 or 2
  // (a stride of 2 takes the even lanes of eight floats, of which the eighth must still be in the run).
  f.get(l.t).i32(7).i32And().i32(5).i32LtS().get(l.hi).get(l.t).i32Sub().i32(4).i32(5).get(l.sw).i32(1).i32Eq().select().i32GeS().i32And();
  f.get(l.sw).i32(3).i32LtU().i32And().if();
  address();
  f.get(l.sw).i32(1).i32Eq().if();
  f.get(l.s).v128Load().set(l.vec);
  f.else();
  f.get(l.s).v128Load().get(l.s).v128Load(16).i8x16Shuffle([0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27]).set(l.vec);
  f.end();
  f.get(l.vec).v128Store();
  f.get(l.s).get(l.step).i32(2).i32Shl().i32Add().set(l.s);
  f.get(l.t).i32(4).i32Add().set(l.t).br(1);
  f.end();
  address();
  f.get(l.s).f32Load().f32Store();
  f.get(l.s).get(l.step).i32Add().set(l.s);
  f.get(l.t).i32(1).i32Add().set(l.t).br(0).end().end();
}

/** One row of the block: output rows as runs of zeros, input columns, zeros. */
function emitRow(f: Func, l: L, nr: number): void {
  const shift = Math.log2(nr);
  /** Pushes the byte address of column t. */
  const address = () => f.get(l.dst).get(l.t).i32(shift).i32ShrU().get(l.pstride).i32Mul().i32Add().get(l.t).i32(nr - 1).i32And().i32(2).i32Shl().i32Add();
  /** Writes zeros while t < limit (a local). */
  const zeroUpTo = (limit: number) => {
    f.block().loop().get(l.t).get(limit).i32GeS().brIf(1);
    address();
    f.f32Zero().f32Store().get(l.t).i32(1).i32Add().set(l.t).br(0).end().end();
  };
  f.i32(0).set(l.t);
  f.block().loop();
  f.get(l.t).get(l.nc).i32GeS().brIf(1);
  // end = t + min(ow - ox, nc - t)
  min(f, () => f.get(l.ow).get(l.ox).i32Sub(), () => f.get(l.nc).get(l.t).i32Sub());
  f.get(l.t).i32Add().set(l.end);
  f.get(l.oy).get(l.sh).i32Mul().get(l.yOff).i32Add().set(l.iy);
  f.get(l.iy).get(l.h).i32LtU().if();
  // lo = max(ox, min(oxLo, ox + run)) as a column count from t; hi likewise.
  min(f, () => f.get(l.oxLo), () => f.get(l.ox).get(l.end).i32Add().get(l.t).i32Sub());
  f.set(l.lo);
  f.get(l.lo).get(l.ox).get(l.lo).get(l.ox).i32GtS().select().set(l.lo);
  min(f, () => f.get(l.oxHi), () => f.get(l.ox).get(l.end).i32Add().get(l.t).i32Sub());
  f.set(l.hi);
  f.get(l.hi).get(l.lo).get(l.hi).get(l.lo).i32GtS().select().set(l.hi);
  // s = plane + (iy*w + lo*sw + xOff)*4, then lo and hi become column indices.
  f.get(l.plane).get(l.iy).get(l.w).i32Mul().get(l.lo).get(l.sw).i32Mul().i32Add().get(l.xOff).i32Add().i32(2).i32Shl().i32Add().set(l.s);
  f.get(l.t).get(l.lo).i32Add().get(l.ox).i32Sub().set(l.lo);
  f.get(l.t).get(l.hi).i32Add().get(l.ox).i32Sub().set(l.hi);
  zeroUpTo(l.lo);
  emitCopy(f, l, address);
  zeroUpTo(l.end);
  f.else();
  zeroUpTo(l.end);
  f.end();
  f.i32(0).set(l.ox);
  f.get(l.oy).i32(1).i32Add().set(l.oy);
  f.br(0);
  f.end().end();
}

export function im2colKernel(nr: number): Func {
  const f = new Func('im2col_rows', Array<typeof i32>(params.length).fill(i32));
  const l = {} as L;
  params.forEach((p, i) => (l[p] = i));
  for (const name of locals) l[name] = f.local(i32);
  l.vec = f.local(v128);
  f.get(l.sw).i32(2).i32Shl().set(l.step);
  f.i32(0).set(l.kk).block().loop(); // for each row of the block
  f.get(l.kk).get(l.rows).i32GeS().brIf(1);
  emitRowGeometry(f, l, nr);
  emitRow(f, l, nr);
  f.get(l.kk).i32(1).i32Add().set(l.kk).br(0);
  f.end().end();
  return f;
}
