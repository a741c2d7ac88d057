/**
 * Conv (1-d and 2-d, groups, dilations, pads, auto_pad) as one GEMM per image and group: packed
 * weights times the image's im2col matrix, which the GEMM packs straight from the image (a 1x1
 * stride-1 unpadded conv reads the image as the matrix itself). Constant weights are packed once,
 * at prepare time, with any fused BatchNormalization folded in; fused Add and Relu run in the
 * GEMM's epilogue.
 */
import { fail, type Result } from '../../../onnx/read.js';
import { asHW, axesFor, readWindow, type Window } from '../geometry.js';
import type { GemmJob } from '../gemm/job.js';
import { inArena, need, optional, shapeError } from '../inputs.js';
import { step, type ConvFusion, type Env, type Kernel, type PrepareContext } from '../kernel.js';
import { numel, shapeText, type Tensor, type Value } from '../tensor.js';
import { checkNode } from './arity.js';
import { binaryInto } from './binary.js';
import { packConv, type PackedConv } from './conv-weights.js';

interface ConvSetup {
  label: string;
  window: Window;
  group: number;
  fusion: ConvFusion;
}

function checkWeights(s: ConvSetup, w: readonly number[]): string | undefined {
  if (w.length !== 3 && w.length !== 4) return `weights of shape ${shapeText(w)}: only 1-d and 2-d convolutions are supported`;
  if (w[0]! % s.group !== 0) return `${w[0]} output channels are not divisible into ${s.group} groups`;
  const k = s.window.kernel;
  if (k.length > 0 && k.join() !== w.slice(2).join()) return `kernel_shape ${shapeText(k)} differs from the weights' ${shapeText(w.slice(2))}`;
  return undefined;
}

/** Weights packed at prepare time, with the shape they had. */
interface FixedWeights {
  packed: PackedConv;
  dims: number[];
}

function runConv(s: ConvSetup, inputs: (Value | undefined)[], env: Env, fixed: FixedWeights | undefined): Tensor[] {
  const x = need(inputs, 0, s.label);
  const temps: Float32Array[] = [];
  let packed = fixed?.packed;
  const wDims = fixed ? fixed.dims : need(inputs, 1, s.label).dims;
  if (!packed) {
    const why = checkWeights(s, wDims);
    if (why !== undefined) shapeError(s.label, why);
    const w = need(inputs, 1, s.label);
    const b = optional(inputs, 2, s.label);
    if (b && b.data.length !== wDims[0]) shapeError(s.label, `bias has ${b.data.length} values for ${wDims[0]} output channels`);
    packed = packConv(env.arena, w.data, wDims[0]!, numel(wDims.slice(1)), s.group, b?.data, s.fusion.bn);
    temps.push(...packed.blocks);
  }
  const [m, cg] = [wDims[0]!, wDims[1]!];
  if (x.dims.length !== wDims.length) shapeError(s.label, `input of shape ${shapeText(x.dims)} does not fit weights of shape ${shapeText(wDims)}`);
  const [n, c] = [x.dims[0]!, x.dims[1]!];
  if (c !== cg * s.group) shapeError(s.label, `input has ${c} channels, the weights expect ${cg * s.group}`);
  const axes = axesFor(s.window, x.dims.slice(2), wDims.slice(2));
  if (typeof axes === 'string') shapeError(s.label, axes);
  const [ay, ax] = asHW(axes);
  const outDims = [n, m, ...axes.map((a) => a.out)];
  const y = env.output(outDims);
  const [h, w] = x.dims.length === 4 ? [x.dims[2]!, x.dims[3]!] : [1, x.dims[2]!];
  const hw = h * w;
  const ohw = ay.out * ax.out;
  const mg = m / s.group;
  const kg = cg * ay.k * ax.k;
  const resIndex = s.fusion.residual;
  const res = resIndex === undefined ? undefined : need(inputs, resIndex, s.label);
  const resInEpilogue = res !== undefined && res.dims.join() === outDims.join();
  const xOff = inArena(env, x, temps);
  const yOff = env.arena.offsetOf(y.data)!;
  const rOff = resInEpilogue ? inArena(env, res, temps) : -1;
  const pointwise = ay.k === 1 && ax.k === 1 && ay.s === 1 && ax.s === 1 &&
    ay.padBegin + ay.padEnd + ax.padBegin + ax.padEnd === 0;
  for (let img = 0; img < n; img++) {
    for (let g = 0; g < s.group; g++) {
      const rows = (img * m + g * mg) * ohw;
      const job: GemmJob = {
        m: mg, n: ohw, k: kg, a: packed.groups[g]!, c: yOff + rows, ldc: ohw,
        bias: packed.bias < 0 ? -1 : packed.bias + g * mg, res: rOff < 0 ? -1 : rOff + rows, ldr: ohw,
        relu: s.fusion.relu && (res === undefined || resInEpilogue) ? 1 : 0,
        bKind: pointwise ? 0 : 1, bOff: xOff + (img * c + g * cg) * hw, bLd: hw,
        ch: cg, h, w, kh: ay.k, kw: ax.k, sh: ay.s, sw: ax.s, ph: ay.padBegin, pw: ax.padBegin, dh: ay.d, dw: ax.d, ow: ax.out,
      };
      env.gemm.run(job);
    }
  }
  for (const t of temps) env.free(t);
  if (res !== undefined && !resInEpilogue) addAfter(s, y, res);
  return [y];
}

/** A fused Add whose other operand broadcasts: done after the GEMM, with the Relu. */
function addAfter(s: ConvSetup, y: Tensor, res: Tensor): void {
  if (numel(res.dims) > numel(y.dims)) shapeError(s.label, `the fused Add's operand ${shapeText(res.dims)} is larger than the output`);
  binaryInto('add', y.data, y.dims, y, res);
  if (s.fusion.relu) for (let i = 0; i < y.data.length; i++) if (y.data[i]! < 0) y.data[i] = 0;
}

function prepareConv(ctx: PrepareContext): Result<{ setup: ConvSetup; fixed?: FixedWeights; consumed: number[] }> {
  const maxInputs = ctx.fusion?.residual !== undefined ? ctx.fusion.residual + 1 : 3;
  const c = checkNode(ctx, { auto_pad: 'string', dilations: 'ints', group: 'int', kernel_shape: 'ints', pads: 'ints', strides: 'ints' }, [2, maxInputs], [1, 1]);
  if (!c.ok) return c;
  const window = readWindow(ctx.attrs, false);
  if (!window.ok) return window;
  const group = ctx.attrs.int('group', 1);
  if (group < 1) return ctx.attrs.bad('group', 'expected a positive group count');
  const setup: ConvSetup = { label: ctx.label, window: window.value, group, fusion: ctx.fusion ?? { relu: false } };
  const w = ctx.constant(1);
  const b = ctx.node.inputs[2] ? ctx.constant(2) : undefined;
  const bRuntime = ctx.node.inputs[2] !== undefined && ctx.node.inputs[2] !== '' && b === undefined;
  if (w === undefined || bRuntime) {
    if (setup.fusion.bn) return fail('E0801', `${ctx.label}: a batch normalization was fused into a conv without constant weights`);
    return { ok: true, value: { setup, consumed: [] } };
  }
  if (w.dataType !== 'float32' || (b && b.dataType !== 'float32')) return fail('E0803', `${ctx.label}: weights and bias must be float32`);
  const why = checkWeights(setup, w.dims);
  if (why !== undefined) return fail('E0803', `${ctx.label}: ${why}`);
  if (b && b.data.length !== w.dims[0]) return fail('E0803', `${ctx.label}: bias has ${b.data.length} values for ${w.dims[0]} output channels`);
  const packed = packConv(ctx.arena, w.data as Float32Array, w.dims[0]!, numel(w.dims.slice(1)), group, b?.data as Float32Array | undefined, setup.fusion.bn);
  return { ok: true, value: { setup, fixed: { packed, dims: w.dims }, consumed: b ? [1, 2] : [1] } };
}

export const Conv: Kernel = (ctx) => {
  const p = prepareConv(ctx);
  if (!p.ok) return p;
  const { setup, fixed, consumed } = p.value;
  return step({ consumed, run: (inputs, env) => runConv(setup, inputs, env, fixed) });
};
