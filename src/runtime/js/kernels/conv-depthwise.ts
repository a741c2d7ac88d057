/**
 * A depthwise convolution (one group per input channel, weights [M, 1, kh, kw]) as a direct
 * convolution over each plane (depthwise/task.ts), on the engine's threads: the work of the conv
 * only, where a GEMM per group would pad each one-row product to a whole tile. Bias (with any
 * folded batch norm) and the activation are applied per plane; a fused residual is added after.
 */
import { Act } from '../activation.js';
import { paddedSize, windowMode, type DepthwiseTask } from '../depthwise/task.js';
import { Task } from '../engine/tasks.js';
import { floatBits } from '../gemm/job.js';
import { inArena } from '../inputs.js';
import type { Env } from '../kernel.js';
import type { Tensor } from '../tensor.js';
import { addAfter, type ConvShape } from './conv-gemm.js';
import type { PackedDepthwise } from './conv-weights.js';

/** A conv is depthwise when each group reads one input channel. */
export function isDepthwise(group: number, wDims: readonly number[]): boolean {
  return group > 1 && wDims[1] === 1 && wDims[0]! % group === 0;
}

export function depthwiseConv(s: ConvShape, x: Tensor, res: Tensor | undefined, packed: PackedDepthwise, env: Env): Tensor {
  const temps: Float32Array[] = [];
  const { ay, ax } = s;
  const y = env.output(s.outDims);
  const [h, wd] = x.dims.length === 4 ? [x.dims[2]!, x.dims[3]!] : [1, x.dims[2]!];
  const act = res === undefined ? s.fusion.act : { op: Act.none, a: 0, b: 0 };
  const geometry = { h, wd, oh: ay.out, ow: ax.out, kh: ay.k, kw: ax.k, sh: ay.s, sw: ax.s, pt: ay.padBegin, pl: ax.padBegin, dh: ay.d, dw: ax.d };
  const { hp, wp } = paddedSize(geometry);
  const [scr0, scr1] = env.engine.scratchFor(hp * wp);
  const task: DepthwiseTask = {
    ...geometry, hp, wp, scr0, scr1,
    x: inArena(env, x, temps), y: env.arena.offsetOf(y.data)!, w: packed.weights, bias: packed.bias,
    n: x.dims[0]!, c: x.dims[1]!, mult: s.wDims[0]! / s.group,
    act: act.op, actA: floatBits(act.a), actB: floatBits(act.b), k: Math.max(ay.k, ax.k), mode: windowMode.conv,
  };
  env.engine.run(Task.depthwise, task as unknown as Record<string, number>);
  for (const t of temps) env.free(t);
  if (res !== undefined) addAfter(s, y, res, env);
  return y;
}
