/**
 * ReduceMean and ReduceSum over some axes (all by default), keeping them as size 1 or not. The
 * axes are an attribute before opset 18 (ReduceMean) or 13 (ReduceSum), an optional constant input
 * after; with noop_with_empty_axes and no axes the input passes through.
 */
import { fail } from '../../../onnx/read.js';
import { intsOf, need, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { numel } from '../tensor.js';
import { checkNode } from './arity.js';

/** Sums x over the axes flagged in `reduced`, into out (the kept dims' row-major order). */
function sumOver(x: Float32Array, dims: number[], reduced: boolean[], out: Float64Array): void {
  // Output strides of kept dims, 0 for reduced ones.
  const outStrides = new Array<number>(dims.length).fill(0);
  let acc = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    if (reduced[d]) continue;
    outStrides[d] = acc;
    acc *= dims[d]!;
  }
  const index = new Array<number>(dims.length).fill(0);
  for (let i = 0, o = 0; i < x.length; i++) {
    out[o]! += x[i]!;
    for (let d = dims.length - 1; d >= 0; d--) {
      index[d]!++;
      o += outStrides[d]!;
      if (index[d]! < dims[d]!) break;
      o -= outStrides[d]! * dims[d]!;
      index[d] = 0;
    }
  }
}

export function reduceKernel(kind: 'mean' | 'sum', axesInputFrom: number): Kernel {
  return (ctx) => {
    const fromInput = ctx.opset >= axesInputFrom;
    const c = checkNode(ctx, fromInput ? { keepdims: 'int', noop_with_empty_axes: 'int' } : { axes: 'ints', keepdims: 'int' }, [1, fromInput ? 2 : 1], [1, 1]);
    if (!c.ok) return c;
    let axes: number[] | undefined = fromInput ? undefined : ctx.attrs.has('axes') ? ctx.attrs.ints('axes', []) : undefined;
    if (fromInput && (ctx.node.inputs[1] ?? '') !== '') {
      const t = ctx.constant(1);
      if (t === undefined || t.dataType !== 'int64') return fail('E0803', `${ctx.label}: the axes input must be an int64 constant`);
      axes = intsOf(t);
    }
    const keep = ctx.attrs.int('keepdims', 1) !== 0;
    const noop = ctx.attrs.int('noop_with_empty_axes', 0) !== 0 && (axes === undefined || axes.length === 0);
    return step({
      consumed: fromInput ? [1] : [],
      run(inputs, env) {
        const x = need(inputs, 0, ctx.label);
        if (noop) return [x];
        const r = x.dims.length;
        const reduced = new Array<boolean>(r).fill(axes === undefined || axes.length === 0);
        for (const a of axes ?? []) {
          if (a < -r || a >= r) shapeError(ctx.label, `axis ${a} is out of range for rank ${r}`);
          reduced[a < 0 ? a + r : a] = true;
        }
        const dims = x.dims.flatMap((d, i) => (reduced[i] ? (keep ? [1] : []) : [d]));
        const count = x.dims.reduce((p, d, i) => (reduced[i] ? p * d : p), 1);
        const trailing = reduced.indexOf(true);
        if (kind === 'mean' && trailing > 0 && reduced.slice(trailing).every(Boolean) && count > 0) {
          // The mean over the last axes (a global average pool, as MNASNet's export writes it).
          const y = env.output(dims);
          env.vector.mean(x.data, y.data, x.data.length / count, count);
          return [y];
        }
        const sums = new Float64Array(numel(dims));
        sumOver(x.data, x.dims, reduced, sums);
        const y = env.output(dims);
        for (let i = 0; i < sums.length; i++) y.data[i] = kind === 'mean' ? sums[i]! / count : sums[i]!;
        return [y];
      },
    });
  };
}
