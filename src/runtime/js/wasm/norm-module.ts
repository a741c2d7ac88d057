/**
 * The WebAssembly SIMD kernel of a layer norm over the channels of an NCHW image (ConvNeXt's norm,
 * see rewrite/channels-last.ts), generated with encoder.ts; 4 spatial positions per vector, each
 * channel a plane of hw floats. Addresses in bytes.
 *
 *   chan_norm(x, dst, c, hw, gamma, beta, eps, p0, p1)
 *     For positions j in [p0, p1) (p1 - p0 >= 4; the last vector ends at p1, recomputing a few):
 *     mean and biased variance of x[0..c)[j], then dst[ci][j] = (x - mean) / sqrt(var + eps) *
 *     gamma[ci] + beta[ci]. dst must not be x.
 */
import { f32, Func, i32, v128 } from './encoder.js';

export function normFunctions(): Func[] {
  const f = new Func('chan_norm', [i32, i32, i32, i32, i32, i32, f32, i32, i32]);
  const [x, dst, c, hw, gamma, beta, eps, p0, p1] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [j, ci, at, plane, last] = [f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32)];
  const [sum, mean, d, inv, invC] = [f.local(v128), f.local(v128), f.local(v128), f.local(v128), f.local(v128)];
  f.get(hw).i32(2).i32Shl().set(plane);
  f.f32Const(1).get(c).f32ConvertI32S().f32Div().f32x4Splat().set(invC);
  f.get(p1).i32(4).i32Sub().set(last);
  /** A loop over channels with `at` the byte address of x[ci][j]. */
  const overChannels = (body: () => void) => {
    f.i32(0).set(ci).get(x).get(j).i32(2).i32Shl().i32Add().set(at);
    f.block().loop().get(ci).get(c).i32GeS().brIf(1);
    body();
    f.get(at).get(plane).i32Add().set(at).get(ci).i32(1).i32Add().set(ci).br(0).end().end();
  };
  f.get(p0).set(j);
  f.block().loop();
  f.get(j).get(p1).i32GeS().brIf(1);
  // The last vector ends at p1.
  f.get(j).get(last).i32GtS().if().get(last).set(j).end();
  f.v128Zero().set(sum);
  overChannels(() => f.get(sum).get(at).v128Load().f32x4Add().set(sum));
  f.get(sum).get(invC).f32x4Mul().set(mean);
  f.v128Zero().set(sum);
  overChannels(() => {
    f.get(at).v128Load().get(mean).f32x4Sub().tee(d);
    f.get(d).f32x4Mul().get(sum).f32x4Add().set(sum);
  });
  f.f32x4Const(1).get(sum).get(invC).f32x4Mul().get(eps).f32x4Splat().f32x4Add().f32x4Sqrt().f32x4Div().set(inv);
  overChannels(() => {
    f.get(at).get(x).i32Sub().get(dst).i32Add();
    f.get(at).v128Load().get(mean).f32x4Sub().get(inv).f32x4Mul();
    f.get(gamma).get(ci).i32(2).i32Shl().i32Add().v128Load32Splat().f32x4Mul();
    f.get(beta).get(ci).i32(2).i32Shl().i32Add().v128Load32Splat().f32x4Add();
    f.v128Store();
  });
  f.get(j).i32(4).i32Add().set(j).br(0);
  f.end().end();
  return [f];
}
