/**
 * Whether this runtime has WebAssembly SIMD (and relaxed SIMD's multiply-add), asked with two
 * fixed, hand-written modules of one function each, not with the generated kernels: a kernel the
 * encoder got wrong must fail loudly when it is compiled (kernel.ts), not pass for a runtime
 * without SIMD and silently fall back to the JS kernels.
 */

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** Type section: one function type, () -> v128. Function section: one function of that type. */
const typeAndFunc = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
/** `i32.const 0; i32x4.splat`: a v128 on the stack. */
const splat = [0x41, 0x00, 0xfd, 0x11];

/** A module whose one function is `body` (no locals), ending with `end`. */
function moduleOf(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00, ...body, 0x0b];
  return new Uint8Array([...header, ...typeAndFunc, 0x0a, code.length + 2, 0x01, code.length, ...code]);
}

/** (func (result v128) (f32x4.add (i32x4.splat (i32.const 0)) (i32x4.splat (i32.const 0)))) */
export const simdProbe = moduleOf([...splat, ...splat, 0xfd, 0xe4, 0x01]);

/** (func (result v128) (f32x4.relaxed_madd (splat) (splat) (splat))) */
export const relaxedSimdProbe = moduleOf([...splat, ...splat, ...splat, 0xfd, 0x85, 0x02]);

const validates = (bytes: Uint8Array<ArrayBuffer>) => typeof WebAssembly === 'object' && WebAssembly.validate(bytes);

export const hasSimd = (): boolean => validates(simdProbe);
export const hasRelaxedSimd = (): boolean => validates(relaxedSimdProbe);
