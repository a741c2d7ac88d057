/**
 * Conv (1-d and 2-d, groups, dilations, pads, auto_pad). Constant weights are prepared once, with
 * any fused BatchNormalization folded in: a depthwise conv for the direct kernel
 * (conv-depthwise.ts), any other for the GEMM (conv-gemm.ts); weights computed at run time are
 * packed for the GEMM on each run. A fused Add and activation (fuse.ts) run in the epilogue.
 */
import { fail, type Result } from '../../../onnx/read.js';
import { noActivation } from '../activation.js';
import { asHW, axesFor, readWindow, type Window } from '../geometry.js';
import { need, optional, shapeError } from '../inputs.js';
import { step, type ConvFusion, type Env, type Kernel, type PrepareContext } from '../kernel.js';
import { numel, shapeText, type Tensor, type Value } from '../tensor.js';
import { checkNode } from './arity.js';
import { depthwiseConv, isDepthwise } from './conv-depthwise.js';
import { gemmConv, type ConvShape } from './conv-gemm.js';
import { convWeightDims, packConv, packDepthwise, type PackedConv, type PackedDepthwise } from './conv-weights.js';

interface ConvSetup {
  label: string;
  window: Window;
  group: number;
  fusion: ConvFusion;
}

/** Weights prepared at prepare time, with the shape they had. */
type Fixed = { dims: number[] } & ({ kind: 'gemm'; packed: PackedConv } | { kind: 'depthwise'; packed: PackedDepthwise });

function checkWeights(s: ConvSetup, w: readonly number[]): string | undefined {
  if (w.length !== 3 && w.length !== 4) return `weights of shape ${shapeText(w)}: only 1-d and 2-d convolutions are supported`;
  if (w[0]! % s.group !== 0) return `${w[0]} output channels are not divisible into ${s.group} groups`;
  const k = s.window.kernel;
  if (k.length > 0 && k.join() !== w.slice(2).join()) return `kernel_shape ${shapeText(k)} differs from the weights' ${shapeText(w.slice(2))}`;
  return undefined;
}

/** The output geometry of input x for weights of shape wDims. */
function shapeOf(s: ConvSetup, x: Tensor, wDims: number[]): ConvShape {
  if (x.dims.length !== wDims.length) shapeError(s.label, `input of shape ${shapeText(x.dims)} does not fit weights of shape ${shapeText(wDims)}`);
  if (x.dims[1] !== wDims[1]! * s.group) shapeError(s.label, `input has ${x.dims[1]} channels, the weights expect ${wDims[1]! * s.group}`);
  const axes = axesFor(s.window, x.dims.slice(2), wDims.slice(2));
  if (typeof axes === 'string') shapeError(s.label, axes);
  const [ay, ax] = asHW(axes);
  return { label: s.label, group: s.group, fusion: s.fusion, wDims, ay, ax, outDims: [x.dims[0]!, wDims[0]!, ...axes.map((a) => a.out)] };
}

function runConv(s: ConvSetup, inputs: (Value | undefined)[], env: Env, fixed: Fixed | undefined): Tensor[] {
  const x = need(inputs, 0, s.label);
  const res = s.fusion.residual === undefined ? undefined : need(inputs, s.fusion.residual, s.label);
  if (fixed?.kind === 'depthwise') return [depthwiseConv(shapeOf(s, x, fixed.dims), x, res, fixed.packed, env)];
  if (fixed?.kind === 'gemm') return [gemmConv(shapeOf(s, x, fixed.dims), x, res, fixed.packed, env)];
  const w = need(inputs, 1, s.label);
  const why = checkWeights(s, w.dims);
  if (why !== undefined) shapeError(s.label, why);
  const b = optional(inputs, 2, s.label);
  if (b && b.data.length !== w.dims[0]) shapeError(s.label, `bias has ${b.data.length} values for ${w.dims[0]} output channels`);
  const packed = packConv(env.arena, w.data, w.dims[0]!, numel(w.dims.slice(1)), s.group, b?.data, s.fusion.bn);
  try {
    return [gemmConv(shapeOf(s, x, w.dims), x, res, packed, env)];
  } finally {
    for (const block of packed.blocks) env.free(block);
  }
}

function prepareConv(ctx: PrepareContext): Result<{ setup: ConvSetup; fixed?: Fixed; consumed: number[] }> {
  const maxInputs = ctx.fusion?.residual !== undefined ? ctx.fusion.residual + 1 : 3;
  const c = checkNode(ctx, { auto_pad: 'string', dilations: 'ints', group: 'int', kernel_shape: 'ints', pads: 'ints', strides: 'ints' }, [2, maxInputs], [1, 1]);
  if (!c.ok) return c;
  const window = readWindow(ctx.attrs, false);
  if (!window.ok) return window;
  const group = ctx.attrs.int('group', 1);
  if (group < 1) return ctx.attrs.bad('group', 'expected a positive group count');
  const setup: ConvSetup = { label: ctx.label, window: window.value, group, fusion: ctx.fusion ?? { act: noActivation } };
  const w = ctx.constant(1);
  const b = ctx.node.inputs[2] ? ctx.constant(2) : undefined;
  const bRuntime = ctx.node.inputs[2] !== undefined && ctx.node.inputs[2] !== '' && b === undefined;
  if (w === undefined || bRuntime) {
    if (setup.fusion.bn) return fail('E0801', `${ctx.label}: a batch normalization was fused into a conv without constant weights`);
    return { ok: true, value: { setup, consumed: [] } };
  }
  if (w.dataType !== 'float32' || (b && b.dataType !== 'float32')) return fail('E0803', `${ctx.label}: weights and bias must be float32`);
  // A MatMul made a conv keeps its 2-d weights (see PrepareContext.matmulWeights).
  const dims = convWeightDims(w.dims, ctx.matmulWeights);
  const why = checkWeights(setup, dims);
  if (why !== undefined) return fail('E0803', `${ctx.label}: ${why}`);
  if (b && b.data.length !== dims[0]) return fail('E0803', `${ctx.label}: bias has ${b.data.length} values for ${dims[0]} output channels`);
  const [data, bias, m] = [w.data as Float32Array, b?.data as Float32Array | undefined, dims[0]!];
  const fixed: Fixed = isDepthwise(group, dims)
    ? { kind: 'depthwise', dims, packed: packDepthwise(ctx.arena, data, m, numel(dims.slice(2)), bias, setup.fusion.bn) }
    : { kind: 'gemm', dims, packed: packConv(ctx.arena, data, m, numel(dims.slice(1)), group, bias, setup.fusion.bn, ctx.matmulWeights === 'transposed') };
  return { ok: true, value: { setup, fixed, consumed: b ? [1, 2] : [1] } };
}

export const Conv: Kernel = (ctx) => {
  const p = prepareConv(ctx);
  if (!p.ok) return p;
  const { setup, fixed, consumed } = p.value;
  return step({ consumed, run: (inputs, env) => runConv(setup, inputs, env, fixed) });
};
