/**
 * Conv-BN fusion: folds an inference batch norm into the convolution before it. Per output
 * channel c, with s = gamma[c] / sqrt(var[c] + eps):
 *   w'[c, ...] = w[c, ...] * s        b'[c] = beta[c] + (b[c] - mean[c]) * s   (b = 0 without a bias)
 * computed in float64 and stored in float32. The fused node keeps the conv's name, span and weight
 * tensor name, gains `bias = true` (tensor `<conv>.bias` when it had none); the bn's users and
 * outputs read the conv; the bn's tensors leave the graph.
 *
 * A pair fuses only when the bn's input is a conv whose output nothing else reads (no other node,
 * no graph output), and when every tensor of both (conv weight and bias, bn weight, bias,
 * running_mean, running_var) holds data: without weights (a graph only being checked) the pair is
 * left as it is, so that the pass never invents values. A bn that does not follow a conv (the
 * pre-activation `bn; relu; conv`) stays. Applied until nothing changes (a bn after a fused bn
 * fuses in the next round). Pure: the input graph and its Float32Arrays are never written. The
 * fused tensors' values are made on demand (ir/tensor-values.ts), folded when they are read.
 */
import { renameInputs, renameOutputs } from '../ir/node.js';
import { num } from '../ir/ops/op.js';
import { fillValues, hasValues, lazyTensor, tensorValues } from '../ir/tensor-values.js';
import type { IrGraph, IrNode, ParamTensor, TensorType } from '../ir/types.js';
import type { Pass, PassResult } from './pass.js';

/** A conv and the bn after it, with the tensors of each by role (looked up once, when matched). */
interface Pair {
  conv: IrNode;
  bn: IrNode;
  convTensors: Readonly<Record<string, ParamTensor>>;
  bnTensors: Readonly<Record<string, ParamTensor>>;
}

/** The node's tensors by role, when every one holds values (data, or a producer); undefined otherwise. */
function tensorsWithData(g: IrGraph, n: IrNode): Record<string, ParamTensor> | undefined {
  const out: Record<string, ParamTensor> = {};
  for (const role in n.params) {
    const t = g.params.get(n.params[role]!);
    if (t === undefined || !hasValues(t)) return undefined;
    out[role] = t;
  }
  return out;
}

/** The fusable pairs of a graph, in node order (matching only; nothing is changed). */
export function findPairs(g: IrGraph): Pair[] {
  // the convs, and how many readers each one's output has (nodes and graph outputs)
  const convs = new Map<string, IrNode>();
  for (const n of g.nodes) if (n.op === 'conv') convs.set(n.name, n);
  const uses = new Map<string, number>();
  const bump = (v: string) => {
    if (convs.has(v)) uses.set(v, (uses.get(v) ?? 0) + 1);
  };
  for (const n of g.nodes) for (const v of n.inputs) bump(v);
  for (const o of g.outputs) bump(o.value);
  const pairs: Pair[] = [];
  for (const bn of g.nodes) {
    if (bn.op !== 'bn') continue;
    const conv = convs.get(bn.inputs[0]!);
    if (!conv || uses.get(conv.name) !== 1) continue;
    const convTensors = tensorsWithData(g, conv);
    const bnTensors = convTensors && tensorsWithData(g, bn);
    if (convTensors && bnTensors) pairs.push({ conv, bn, convTensors, bnTensors });
  }
  return pairs;
}

function tensorOf(tensors: Readonly<Record<string, ParamTensor>>, n: IrNode, role: string): ParamTensor {
  const t = tensors[role];
  if (!t) throw new Error(`internal: ${n.name}.${role} has no data at fusion`);
  return t;
}

const valuesOf = (t: ParamTensor): Float32Array => tensorValues(t)!;

/**
 * The fused conv's weight and bias tensors, their values made on demand (the fold is recorded, not
 * computed: the weights of a large network are never all in memory). Each product folds the
 * tensors of the pair as they are now, whether held or made: the input graph is never written.
 */
function foldTensors({ conv, bn, convTensors, bnTensors }: Pair): { weight: ParamTensor; bias: ParamTensor; newBias: boolean } {
  const w = tensorOf(convTensors, conv, 'weight');
  const gamma = tensorOf(bnTensors, bn, 'weight');
  const beta = tensorOf(bnTensors, bn, 'bias');
  const mean = tensorOf(bnTensors, bn, 'running_mean');
  const variance = tensorOf(bnTensors, bn, 'running_var');
  const b = conv.params.bias !== undefined ? tensorOf(convTensors, conv, 'bias') : undefined;
  const eps = num(bn.attrs, 'eps');
  const out = gamma.shape[0]!;
  /** s[c] = gamma[c] / sqrt(var[c] + eps), in float64. */
  const scales = (): Float64Array => {
    const gv = valuesOf(gamma);
    const vv = valuesOf(variance);
    const s = new Float64Array(out);
    for (let c = 0; c < out; c++) s[c] = gv[c]! / Math.sqrt(vv[c]! + eps);
    return s;
  };
  const weight = lazyTensor(w, (w2) => {
    fillValues(w, w2);
    const s = scales();
    const per = w2.length / out;
    for (let c = 0; c < out; c++) {
      const sc = s[c]!;
      for (let i = c * per; i < (c + 1) * per; i++) w2[i] = w2[i]! * sc;
    }
  });
  const biasName = conv.params.bias ?? `${conv.name}.bias`;
  const foldBias = (b2: Float32Array): void => {
    const s = scales();
    const bt = valuesOf(beta);
    const mv = valuesOf(mean);
    const bv = b ? valuesOf(b) : undefined;
    for (let c = 0; c < out; c++) b2[c] = bt[c]! + ((bv ? bv[c]! : 0) - mv[c]!) * s[c]!;
  };
  const bias = lazyTensor(b ?? { name: biasName, shape: [out], trainable: true, init: 'conv_bias' }, foldBias);
  return { weight, bias, newBias: b === undefined };
}

/** The conv of a fused pair: with a bias (its tensor `bias`); its fields in the order they had. */
function fusedNode(c: IrNode, bias: string): IrNode {
  const node: IrNode = { name: c.name, op: c.op, inputs: c.inputs, attrs: { ...c.attrs, bias: true }, params: { ...c.params, bias }, span: c.span, expansion: c.expansion };
  return c.insertedBy === undefined ? node : { ...node, insertedBy: c.insertedBy };
}

/**
 * One round: fuses the given pairs (disjoint: each conv and each bn is in one pair at most). The
 * maps of types and tensors are built anew in one pass, in the order they had (a fused conv's new
 * bias comes last), rather than copied and then thinned out entry by entry. `more` says whether a
 * bn now reads a fused conv: only then can another round find a pair (a conv's uses change only
 * where a bn it fed is removed).
 */
function fusePairs(g: IrGraph, pairs: readonly Pair[]): { graph: IrGraph; more: boolean } {
  const fusedConv = new Map<string, IrNode>();
  const subst = new Map<string, string>(); // bn -> conv
  const replaced = new Map<string, ParamTensor>();
  const removed = new Set<string>();
  const added: ParamTensor[] = [];
  for (const p of pairs) {
    const { weight, bias, newBias } = foldTensors(p);
    replaced.set(weight.name, weight);
    if (newBias) added.push(bias);
    else replaced.set(bias.name, bias);
    for (const role in p.bn.params) removed.add(p.bn.params[role]!);
    subst.set(p.bn.name, p.conv.name);
    fusedConv.set(p.conv.name, fusedNode(p.conv, bias.name));
  }
  const params = new Map<string, ParamTensor>();
  for (const [name, t] of g.params) if (!removed.has(name)) params.set(name, replaced.get(name) ?? t);
  for (const t of added) params.set(t.name, t);
  const types = new Map<string, TensorType>();
  for (const [name, t] of g.types) if (!subst.has(name)) types.set(name, t);
  const nodes: IrNode[] = [];
  let more = false;
  for (const n of g.nodes) {
    if (subst.has(n.name)) continue;
    const m = renameInputs(fusedConv.get(n.name) ?? n, subst);
    if (m.op === 'bn' && fusedConv.has(m.inputs[0]!)) more = true;
    nodes.push(m);
  }
  return { graph: { ...g, nodes, types, params, outputs: renameOutputs(g.outputs, subst) }, more };
}

export function fuseConvBn(g: IrGraph): PassResult {
  let cur = g;
  const bns = g.nodes.filter((n) => n.op === 'bn').length;
  for (let round = 0; round <= bns; round++) {
    const pairs = findPairs(cur);
    if (pairs.length === 0) return { graph: cur, diagnostics: [] };
    const r = fusePairs(cur, pairs);
    cur = r.graph;
    if (!r.more) return { graph: cur, diagnostics: [] };
  }
  throw new Error(`internal: conv-bn fusion of ${g.name} did not settle after ${bns + 1} rounds`);
}

export const fusePass: Pass = {
  name: 'fuse',
  description: 'fold each inference batch norm into the conv before it (needs weights; a pair without data is left as it is)',
  optional: true,
  run: (g) => fuseConvBn(g),
};
