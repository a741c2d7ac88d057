/**
 * Fusion of the chains CNNs are made of into their convolutions: Conv -> BatchNormalization
 * (constant parameters) and/or Mul by a constant per channel (ConvNeXt's layer scale), both
 * folded into the packed weights and bias; then -> Add (the other operand computed earlier: a
 * residual, added in the epilogue); then an activation (fuse-patterns.ts: ReLU, relu6 as Clip,
 * hard-swish, SiLU as x * Sigmoid(x), GELU's erf form, ...), applied in the epilogue. Each absorbed
 * value must be read by the next node only and must not be a graph output. The model is not
 * changed; a list of nodes to prepare comes back, fused Convs carrying what they absorbed.
 */
import type { OnnxModel, OnnxNode, OnnxTensor } from '../../onnx/model.js';
import { noActivation } from './activation.js';
import { matchActivation, plain, soleReader, type Graph } from './fuse-patterns.js';
import type { ConvFusion, PrepareContext } from './kernel.js';
import { bnScaleShift, checkBatchNorm } from './kernels/BatchNormalization.js';
import { convWeightDims } from './kernels/conv-weights.js';

export interface PlanNode {
  node: OnnxNode;
  /** Position in the model, for labels of unnamed nodes. */
  index: number;
  fusion?: ConvFusion;
  /** A node of a channels-last region now run in NCHW (rewrite/channels-last.ts). */
  channelsFirst?: boolean;
  /** A Conv made from a MatMul: how its 2-d weights stand for [Cout, Cin, 1, 1] (see PrepareContext). */
  matmulWeights?: 'transposed' | 'direct';
}

/** Index of the extra Conv input carrying a fused Add's other operand. */
export const residualInput = 3;

function float(g: Graph, name: string | undefined): Float32Array | undefined {
  const t = name ? g.constants.get(name) : undefined;
  return t?.dataType === 'float32' ? (t.data as Float32Array) : undefined;
}

/** Convs made from MatMuls, with how their 2-d weights stand for [Cout, Cin, 1, 1]. */
const matmulConvs = new WeakMap<OnnxNode, 'transposed' | 'direct'>();


/** The shape of a conv's constant weights (with its bias constant too), which folding into needs. */
function constantWeights(g: Graph, conv: OnnxNode): number[] | undefined {
  const w = g.constants.get(conv.inputs[1] ?? '');
  const biasName = conv.inputs[2] ?? '';
  if (!w || w.dataType !== 'float32' || (biasName !== '' && !float(g, biasName))) return undefined;
  return convWeightDims(w.dims, matmulConvs.get(conv));
}

function tryBatchNorm(g: Graph, conv: OnnxNode, bn: OnnxNode, ctx: PrepareContext): ConvFusion['bn'] {
  const w = constantWeights(g, conv);
  if (!w || bn.opType !== 'BatchNormalization' || bn.domain !== '' || !checkBatchNorm(ctx).ok) return undefined;
  const [scale, b, mean, variance] = [1, 2, 3, 4].map((i) => float(g, bn.inputs[i]));
  if (![scale, b, mean, variance].every((p) => p !== undefined && p.length === w[0])) return undefined;
  return bnScaleShift(scale!, b!, mean!, variance!, ctx.attrs.float('epsilon', 1e-5));
}

/**
 * A Mul or Add of the conv's output and a constant of one value per output channel ([C, 1, 1] for
 * a 2-d conv; ConvNeXt's layer scale, a bias added after a MatMul made a conv), composed with the
 * per-channel affine map folded so far.
 */
function tryChannelAffine(g: Graph, conv: OnnxNode, n: OnnxNode, value: string, affine: ConvFusion['bn']): ConvFusion['bn'] {
  const w = constantWeights(g, conv);
  if (!w || !(plain(n, 'Mul') || plain(n, 'Add')) || n.inputs.length !== 2) return undefined;
  const name = n.inputs[0] === value ? n.inputs[1] : n.inputs[0];
  const t = g.constants.get(name ?? '');
  if (!t || t.dataType !== 'float32' || name === value || t.dims.length > w.length) return undefined;
  const dims = t.dims.slice(t.dims.findIndex((d) => d !== 1));
  if (dims.length !== w.length - 1 || dims[0] !== w[0] || dims.slice(1).some((d) => d !== 1)) return undefined;
  const c = t.data as Float32Array;
  const scale = affine?.scale ?? new Float32Array(c.length).fill(1);
  const shift = affine?.shift ?? new Float32Array(c.length);
  if (n.opType === 'Mul') return { scale: scale.map((s, i) => s * c[i]!), shift: shift.map((s, i) => s * c[i]!) };
  return { scale, shift: shift.map((s, i) => s + c[i]!) };
}

/** The other operand of an Add reading `value`, when it is available before node `before`. */
function residualOf(g: Graph, add: OnnxNode, value: string, before: number): string | undefined {
  if (add.inputs.length !== 2 || add.inputs[0] === add.inputs[1]) return undefined;
  const other = add.inputs[0] === value ? add.inputs[1]! : add.inputs[0]!;
  const p = g.producer.get(other);
  return p === undefined || p < before ? other : undefined;
}

/** What a Conv at position i absorbs, the value it then computes, and the nodes absorbed. */
function fuseConv(g: Graph, i: number, removed: Set<number>, contextFor: (listIndex: number) => PrepareContext): { fusion: ConvFusion; inputs: string[]; out: string } {
  const conv = g.nodes[i]!;
  const fusion: ConvFusion = { act: noActivation };
  const inputs = [...conv.inputs];
  let out = conv.outputs[0]!;
  let next = soleReader(g, out, removed);
  if (next !== undefined && g.nodes[next]!.inputs[0] === out && g.nodes[next]!.opType === 'BatchNormalization') {
    const bn = tryBatchNorm(g, conv, g.nodes[next]!, contextFor(next));
    if (bn) {
      fusion.bn = bn;
      removed.add(next);
      out = g.nodes[next]!.outputs[0]!;
      next = soleReader(g, out, removed);
    }
  }
  for (let affine = next === undefined ? undefined : tryChannelAffine(g, conv, g.nodes[next]!, out, fusion.bn); affine && next !== undefined;) {
    fusion.bn = affine;
    removed.add(next);
    out = g.nodes[next]!.outputs[0]!;
    next = soleReader(g, out, removed);
    affine = next === undefined ? undefined : tryChannelAffine(g, conv, g.nodes[next]!, out, fusion.bn);
  }
  if (next !== undefined && plain(g.nodes[next]!, 'Add') && g.opset >= 7) {
    const other = residualOf(g, g.nodes[next]!, out, i);
    if (other !== undefined) {
      while (inputs.length < residualInput) inputs.push('');
      inputs[residualInput] = other;
      fusion.residual = residualInput;
      removed.add(next);
      out = g.nodes[next]!.outputs[0]!;
    }
  }
  const m = matchActivation(g, out, removed);
  if (m) {
    fusion.act = m.act;
    for (const n of m.nodes) removed.add(n);
    out = m.out;
  }
  return { fusion, inputs, out };
}

/** Fuses the nodes `list` (the model's nodes in order, without those folded as constants). */
export function fuse(model: OnnxModel, list: readonly PlanNode[], constants: Map<string, OnnxTensor>, contextFor: (index: number) => PrepareContext): PlanNode[] {
  const g: Graph = {
    nodes: list.map((p) => p.node), readers: new Map(), producer: new Map(),
    outputs: new Set(model.outputs.map((o) => o.name)), constants, opset: model.opsetVersion,
  };
  g.nodes.forEach((n, i) => {
    for (const v of new Set(n.inputs)) if (v !== '') g.readers.set(v, [...(g.readers.get(v) ?? []), i]);
    for (const v of n.outputs) g.producer.set(v, i);
    const matmul = list[i]!.matmulWeights;
    if (matmul) matmulConvs.set(n, matmul);
  });
  const removed = new Set<number>();
  const fused = new Map<number, PlanNode>();
  g.nodes.forEach((conv, i) => {
    if (removed.has(i) || conv.opType !== 'Conv' || conv.domain !== '' || conv.outputs.length !== 1) return;
    const { fusion, inputs, out } = fuseConv(g, i, removed, (k) => contextFor(list[k]!.index));
    if (out !== conv.outputs[0] || fusion.bn) fused.set(i, { ...list[i]!, node: { ...conv, inputs, outputs: [out] }, fusion });
  });
  const plan: PlanNode[] = [];
  list.forEach((p, i) => {
    if (!removed.has(i)) plan.push(fused.get(i) ?? p);
  });
  return plan;
}
