/**
 * A convolution as one GEMM per image and group: packed weights times the image's im2col matrix,
 * which the GEMM packs straight from the image (a 1x1 stride-1 unpadded conv reads the image as
 * the matrix itself). Bias (with any folded batch norm), a fused residual of the output's shape
 * and the activation run in the GEMM's epilogue; a residual that broadcasts is added after.
 */
import { Act } from '../activation.js';
import type { Axis } from '../geometry.js';
import { floatBits, type GemmJob } from '../gemm/job.js';
import { inArena, shapeError } from '../inputs.js';
import type { ConvFusion, Env } from '../kernel.js';
import { numel, shapeText, type Tensor } from '../tensor.js';
import { binaryInto } from './binary.js';
import type { PackedConv } from './conv-weights.js';

export interface ConvShape {
  label: string;
  group: number;
  fusion: ConvFusion;
  /** Weights [M, C/group, kh, kw] (or [M, C/group, k] for 1-d). */
  wDims: number[];
  ay: Axis;
  ax: Axis;
  outDims: number[];
}

export function gemmConv(s: ConvShape, x: Tensor, res: Tensor | undefined, packed: PackedConv, env: Env): Tensor {
  const temps: Float32Array[] = [];
  const [m, cg] = [s.wDims[0]!, s.wDims[1]!];
  const { ay, ax } = s;
  const [n, c] = [x.dims[0]!, x.dims[1]!];
  const y = env.output(s.outDims);
  const [h, w] = x.dims.length === 4 ? [x.dims[2]!, x.dims[3]!] : [1, x.dims[2]!];
  const ohw = ay.out * ax.out;
  const mg = m / s.group;
  const resInEpilogue = res !== undefined && res.dims.join() === s.outDims.join();
  const act = res === undefined || resInEpilogue ? s.fusion.act : { op: Act.none, a: 0, b: 0 };
  const xOff = inArena(env, x, temps);
  const yOff = env.arena.offsetOf(y.data)!;
  const rOff = resInEpilogue ? inArena(env, res, temps) : -1;
  const pointwise = ay.k === 1 && ax.k === 1 && ay.s === 1 && ax.s === 1 && ay.padBegin + ay.padEnd + ax.padBegin + ax.padEnd === 0;
  for (let img = 0; img < n; img++) {
    for (let g = 0; g < s.group; g++) {
      const rows = (img * m + g * mg) * ohw;
      const job: GemmJob = {
        m: mg, n: ohw, k: cg * ay.k * ax.k, a: packed.groups[g]!, c: yOff + rows, ldc: ohw,
        bias: packed.bias < 0 ? -1 : packed.bias + g * mg, res: rOff < 0 ? -1 : rOff + rows, ldr: ohw,
        relu: act.op === Act.relu ? 1 : 0, act: act.op === Act.relu ? 0 : act.op, actA: floatBits(act.a), actB: floatBits(act.b),
        bKind: pointwise ? 0 : 1, bOff: xOff + (img * c + g * cg) * h * w, bLd: h * w,
        ch: cg, h, w, kh: ay.k, kw: ax.k, sh: ay.s, sw: ax.s, ph: ay.padBegin, pw: ax.padBegin, dh: ay.d, dw: ax.d, ow: ax.out,
      };
      env.engine.gemm(job);
    }
  }
  for (const t of temps) env.free(t);
  if (res !== undefined && !resInEpilogue) addAfter(s, y, res, env);
  return y;
}

/** A fused Add whose other operand broadcasts (or is absent from the epilogue): then the activation. */
export function addAfter(s: Pick<ConvShape, 'label' | 'fusion'>, y: Tensor, res: Tensor, env: Env): void {
  if (numel(res.dims) > numel(y.dims)) shapeError(s.label, `the fused Add's operand ${shapeText(res.dims)} is larger than the output`);
  if (!env.vector.binary('add', y, res, y)) binaryInto('add', y.data, y.dims, y, res);
  if (s.fusion.act.op !== Act.none) env.vector.activate(s.fusion.act, y.data, y.data);
}
