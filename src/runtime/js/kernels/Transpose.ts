/**
 * Transpose: output axis i is input axis perm[i] (reversed axes by default), for float32 and int64
 * values. The copy walks the output in order, reading the input through permuted strides.
 */
import { needValue, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { isFloat, numel, stridesOf, type Value } from '../tensor.js';
import { checkNode } from './arity.js';

/** out[i] = src[offset of output index i] for a permutation of src's axes. */
export function permute<T extends Float32Array | BigInt64Array>(src: T, dims: readonly number[], perm: readonly number[], out: T): void {
  const inStrides = stridesOf(dims);
  const outDims = perm.map((p) => dims[p]!);
  const strides = perm.map((p) => inStrides[p]!);
  const r = outDims.length;
  const total = numel(outDims);
  if (total === 0) return;
  const last = r === 0 ? 1 : outDims[r - 1]!;
  const step = r === 0 ? 0 : strides[r - 1]!;
  const index = new Array<number>(Math.max(r - 1, 0)).fill(0);
  let from = 0;
  for (let o = 0; o < total; o += last) {
    for (let t = 0, i = from; t < last; t++, i += step) out[o + t] = src[i]!;
    for (let d = r - 2; d >= 0; d--) {
      index[d]!++;
      from += strides[d]!;
      if (index[d]! < outDims[d]!) break;
      from -= strides[d]! * outDims[d]!;
      index[d] = 0;
    }
  }
}

export const Transpose: Kernel = (ctx) => {
  const c = checkNode(ctx, { perm: 'ints' }, [1, 1], [1, 1]);
  if (!c.ok) return c;
  const given = ctx.attrs.has('perm') ? ctx.attrs.ints('perm', []) : undefined;
  return step({
    run(inputs, env) {
      const x = needValue(inputs, 0, ctx.label);
      const r = x.dims.length;
      const perm = given ?? x.dims.map((_, i) => r - 1 - i);
      if (perm.length !== r || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
        shapeError(ctx.label, `perm [${perm.join(', ')}] is not a permutation of ${r} axes`);
      }
      const dims = perm.map((p) => x.dims[p]!);
      let y: Value;
      if (isFloat(x)) {
        y = env.output(dims);
        permute(x.data, x.dims, perm, y.data);
      } else {
        y = { dims, data: new BigInt64Array(x.data.length) };
        permute(x.data, x.dims, perm, y.data);
      }
      return [y];
    },
  });
};
