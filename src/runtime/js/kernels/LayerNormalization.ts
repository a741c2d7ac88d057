/**
 * LayerNormalization (opset 17): each slice over the axes [axis, rank) is normalized to zero mean
 * and unit variance (biased, with epsilon), then scaled and shifted by Scale and B (which
 * broadcast to the slice). The optional outputs Mean and InvStdDev have the input's shape with the
 * normalized axes set to 1. Sums are kept in float64, as the statistics of a float32 slice should.
 * In a channels-last region rewritten to NCHW (rewrite/channels-last.ts) the normalized axis is
 * the channel axis: each position of each image is normalized over its channels, on the engine.
 */
import { broadcastDims } from '../broadcast.js';
import { Task } from '../engine/tasks.js';
import { floatBits } from '../gemm/job.js';
import { inArena, need, optional, shapeError } from '../inputs.js';
import { step, type Env, type Kernel } from '../kernel.js';
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

/** Normalization over the channel axis of an NCHW tensor, with per-channel scale and bias. */
function channelNorm(x: Tensor, scale: Tensor, bias: Tensor | undefined, eps: number, env: Env, label: string): Tensor {
  const [n, c] = [x.dims[0]!, x.dims[1]!];
  if (x.dims.length < 3 || scale.data.length !== c || (bias && bias.data.length !== c)) shapeError(label, `parameters do not fit channels of ${shapeText(x.dims)}`);
  const y = env.output(x.dims);
  const temps: Float32Array[] = [];
  const zero = bias ? undefined : env.scratch(c).fill(0);
  if (zero) temps.push(zero);
  env.engine.run(Task.chanNorm, {
    x: inArena(env, x, temps), dst: env.arena.offsetOf(y.data)!, n, c, hw: numel(x.dims.slice(2)),
    gamma: inArena(env, scale, temps), beta: inArena(env, bias ?? { dims: [c], data: zero! }, temps), eps: floatBits(eps),
  });
  for (const t of temps) env.free(t);
  return y;
}

export const LayerNormalization: Kernel = (ctx) => {
  const c = checkNode(ctx, { axis: 'int', epsilon: 'float', stash_type: 'int' }, [2, 3], [1, 3]);
  if (!c.ok) return c;
  if (ctx.attrs.int('stash_type', 1) !== 1) return ctx.attrs.bad('stash_type', 'only float32 statistics (1) are supported');
  const axis = ctx.attrs.int('axis', -1);
  const eps = ctx.attrs.float('epsilon', 1e-5);
  if (ctx.channelsFirst) {
    return step({ run: (inputs, env) => [channelNorm(need(inputs, 0, ctx.label), need(inputs, 1, ctx.label), optional(inputs, 2, ctx.label), eps, env, ctx.label)] });
  }
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
