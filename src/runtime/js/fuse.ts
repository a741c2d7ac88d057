/**
 * Fusion of the chains a ResNet is made of into its convolutions: Conv -> BatchNormalization
 * (constant parameters, folded into the packed weights and bias), then -> Add (the other operand
 * computed earlier: a residual, added in the GEMM's epilogue), then -> Relu. Each absorbed value
 * must be read by the next node only and must not be a graph output. The model is not changed; a
 * list of nodes to prepare comes back, fused Convs carrying what they absorbed.
 */
import type { OnnxModel, OnnxNode, OnnxTensor } from '../../onnx/model.js';
import type { ConvFusion, PrepareContext } from './kernel.js';
import { bnScaleShift, checkBatchNorm } from './kernels/BatchNormalization.js';

export interface PlanNode {
  node: OnnxNode;
  /** Position in the model, for labels of unnamed nodes. */
  index: number;
  fusion?: ConvFusion;
}

/** Index of the extra Conv input carrying a fused Add's other operand. */
export const residualInput = 3;

interface Graph {
  readers: Map<string, number[]>;
  producer: Map<string, number>;
  outputs: Set<string>;
  constants: Map<string, OnnxTensor>;
}

/** The node reading `value` when it is the only reader and the value is not a graph output. */
function soleReader(g: Graph, value: string, removed: Set<number>): number | undefined {
  const r = g.readers.get(value) ?? [];
  if (r.length !== 1 || g.outputs.has(value) || removed.has(r[0]!)) return undefined;
  return r[0];
}

function float(g: Graph, name: string | undefined): Float32Array | undefined {
  const t = name ? g.constants.get(name) : undefined;
  return t?.dataType === 'float32' ? (t.data as Float32Array) : undefined;
}

function plain(n: OnnxNode, op: string): boolean {
  return n.opType === op && n.domain === '' && Object.keys(n.attrs).length === 0 && n.unreadAttrs === undefined;
}

function tryBatchNorm(g: Graph, conv: OnnxNode, bn: OnnxNode, ctx: PrepareContext): ConvFusion['bn'] {
  const w = g.constants.get(conv.inputs[1] ?? '');
  const biasName = conv.inputs[2] ?? '';
  if (!w || w.dataType !== 'float32' || (biasName !== '' && !float(g, biasName))) return undefined;
  if (bn.opType !== 'BatchNormalization' || bn.domain !== '' || !checkBatchNorm(ctx).ok) return undefined;
  const [scale, b, mean, variance] = [1, 2, 3, 4].map((i) => float(g, bn.inputs[i]));
  const m = w.dims[0];
  if (![scale, b, mean, variance].every((p) => p !== undefined && p.length === m)) return undefined;
  return bnScaleShift(scale!, b!, mean!, variance!, ctx.attrs.float('epsilon', 1e-5));
}

/** The other operand of an Add reading `value`, when it is available before node `before`. */
function residualOf(g: Graph, add: OnnxNode, value: string, before: number): string | undefined {
  if (add.inputs.length !== 2 || add.inputs[0] === add.inputs[1]) return undefined;
  const other = add.inputs[0] === value ? add.inputs[1]! : add.inputs[0]!;
  const p = g.producer.get(other);
  return p === undefined || p < before ? other : undefined;
}

/** Fuses the nodes `list` (the model's nodes in order, without those folded as constants). */
export function fuse(model: OnnxModel, list: readonly PlanNode[], constants: Map<string, OnnxTensor>, contextFor: (index: number) => PrepareContext): PlanNode[] {
  const nodes = list.map((p) => p.node);
  const g: Graph = { readers: new Map(), producer: new Map(), outputs: new Set(model.outputs.map((o) => o.name)), constants };
  nodes.forEach((n, i) => {
    for (const v of new Set(n.inputs)) if (v !== '') g.readers.set(v, [...(g.readers.get(v) ?? []), i]);
    for (const v of n.outputs) g.producer.set(v, i);
  });
  const removed = new Set<number>();
  const fused = new Map<number, PlanNode>();
  nodes.forEach((conv, i) => {
    if (conv.opType !== 'Conv' || conv.domain !== '' || conv.outputs.length !== 1) return;
    const modelIndex = list[i]!.index;
    const fusion: ConvFusion = { relu: false };
    const inputs = [...conv.inputs];
    let out = conv.outputs[0]!;
    let next = soleReader(g, out, removed);
    if (next !== undefined && nodes[next]!.inputs[0] === out) {
      const bn = tryBatchNorm(g, conv, nodes[next]!, contextFor(list[next]!.index));
      if (bn) {
        fusion.bn = bn;
        removed.add(next);
        out = nodes[next]!.outputs[0]!;
        next = soleReader(g, out, removed);
      }
    }
    if (next !== undefined && plain(nodes[next]!, 'Add') && model.opsetVersion >= 7) {
      const other = residualOf(g, nodes[next]!, out, i);
      if (other !== undefined) {
        while (inputs.length < residualInput) inputs.push('');
        inputs[residualInput] = other;
        fusion.residual = residualInput;
        removed.add(next);
        out = nodes[next]!.outputs[0]!;
        next = soleReader(g, out, removed);
      }
    }
    if (next !== undefined && plain(nodes[next]!, 'Relu')) {
      fusion.relu = true;
      removed.add(next);
      out = nodes[next]!.outputs[0]!;
    }
    if (out !== conv.outputs[0] || fusion.bn) fused.set(i, { node: { ...conv, inputs, outputs: [out] }, index: modelIndex, fusion });
  });
  const plan: PlanNode[] = [];
  list.forEach((p, i) => {
    if (!removed.has(i)) plan.push(fused.get(i) ?? p);
  });
  return plan;
}
