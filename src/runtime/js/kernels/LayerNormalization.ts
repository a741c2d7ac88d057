/**
 * LayerNormalization (opset 17): each slice over the axes [axis, rank) is normalized to zero mean
 * and unit variance (biased, with epsilon), then scaled and shifted by Scale and B (which
 * broadcast to the slice). The optional outputs Mean and InvStdDev have the input's shape with the
 * normalized axes set to 1. Sums are kept in float64, as the statistics of a float32 slice should.
 */
import { broadcastDims } from '../broadcast.js';
import { need, optional, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { numel, shapeText, type Tensor } from '../tensor.js';
import { checkNode } from './arity.js';

/** One slice: y = (x - mean) * inv * scale + bias. */
function normalizeSlice(x: Float32Array, y: Float32Array, base: number, size: number, eps: number, scale: Float32Array, bias: Float32Array | undefined): [number, number] {
  let sum = 0;
  for (let i = 0; i < size; i++) sum += x[base + i]!;
  const mean = sum / size;
  let sq = 0;
  for (let i = 0; i < size; i++) {
    const d = x[base + i]! - mean;
    sq += d * d;
  }
  const inv = 1 / Math.sqrt(sq / size + eps);
  for (let i = 0; i < size; i++) y[base + i] = (x[base + i]! - mean) * inv * scale[i]! + (bias ? bias[i]! : 0);
  return [mean, inv];
}

/** A parameter broadcast to the slice shape, as a dense array of the slice's size. */
function expand(p: Tensor, slice: number[], label: string): Float32Array {
  const size = numel(slice);
  if (p.data.length === size) return p.data;
  const dims = broadcastDims(slice, p.dims);
  if (dims === undefined || dims.join() !== slice.join()) shapeError(label, `a parameter of shape ${shapeText(p.dims)} does not broadcast to ${shapeText(slice)}`);
  if (p.data.length === 1) return new Float32Array(size).fill(p.data[0]!);
  shapeError(label, `a parameter of shape ${shapeText(p.dims)} is not supported for ${shapeText(slice)}`);
}

export const LayerNormalization: Kernel = (ctx) => {
  const c = checkNode(ctx, { axis: 'int', epsilon: 'float', stash_type: 'int' }, [2, 3], [1, 3]);
  if (!c.ok) return c;
  if (ctx.attrs.int('stash_type', 1) !== 1) return ctx.attrs.bad('stash_type', 'only float32 statistics (1) are supported');
  const axis = ctx.attrs.int('axis', -1);
  const eps = ctx.attrs.float('epsilon', 1e-5);
  return step({
    run(inputs, env) {
      const x = need(inputs, 0, ctx.label);
      const r = x.dims.length;
      if (axis < -r || axis >= r) shapeError(ctx.label, `axis ${axis} is out of range for rank ${r}`);
      const a = axis < 0 ? axis + r : axis;
      const slice = x.dims.slice(a);
      const size = numel(slice);
      const scale = expand(need(inputs, 1, ctx.label), slice, ctx.label);
      const b = optional(inputs, 2, ctx.label);
      const bias = b ? expand(b, slice, ctx.label) : undefined;
      const statDims = [...x.dims.slice(0, a), ...slice.map(() => 1)];
      const wantStats = ctx.node.outputs.length > 1;
      const mean = wantStats ? env.output(statDims) : undefined;
      const inv = wantStats ? env.output(statDims) : undefined;
      const y = env.output(x.dims, x);
      const count = size === 0 ? 0 : x.data.length / size;
      for (let s = 0; s < count; s++) {
        const [m, v] = normalizeSlice(x.data, y.data, s * size, size, eps, scale, bias);
        if (mean && inv) [mean.data[s], inv.data[s]] = [m, v];
      }
      return wantStats ? [y, mean!, inv!] : [y];
    },
  });
};
