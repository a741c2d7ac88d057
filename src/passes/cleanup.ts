/**
 * Clean-up: removes the ops that are the identity at inference (`dropout`, `identity`: what their
 * definitions declare), their
 * users and outputs reading their input instead; then removes dead code (nodes no graph output
 * depends on); then drops the types and parameter tensors of removed nodes, so that nothing is
 * left dangling. Graph inputs stay, used or not: they are the network's interface.
 */
import { renameInputs, renameOutputs } from '../ir/node.js';
import { opDef } from '../ir/ops/index.js';
import type { IrGraph, IrNode, TensorType } from '../ir/types.js';
import type { Pass, PassResult } from './pass.js';

/** An op its definition declares the identity at inference (dropout, identity, stochastic depth). */
const passthrough = (n: IrNode) => opDef(n.op).inferenceIdentity === true;

/** Removes the inference identities, rewiring their users (chains included) and outputs. */
export function removePassthrough(g: IrGraph): IrGraph {
  if (!g.nodes.some(passthrough)) return g;
  const subst = new Map<string, string>();
  const nodes: IrNode[] = [];
  for (const raw of g.nodes) {
    const n = renameInputs(raw, subst);
    if (passthrough(n)) subst.set(n.name, n.inputs[0]!);
    else nodes.push(n);
  }
  return { ...g, nodes, outputs: renameOutputs(g.outputs, subst) };
}

/** The nodes some graph output depends on, in their order (the array itself when all are). */
export function liveNodes(g: IrGraph): readonly IrNode[] {
  const live = new Set(g.outputs.map((o) => o.value));
  let dead = 0;
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (live.has(n.name)) for (const v of n.inputs) live.add(v);
    else dead++;
  }
  return dead === 0 ? g.nodes : g.nodes.filter((n) => live.has(n.name));
}

/** Keeps the nodes given, and only the types and parameter tensors they (and the inputs) need. */
function prune(g: IrGraph, nodes: readonly IrNode[]): IrGraph {
  const values = new Set<string>();
  for (const i of g.inputs) values.add(i.name);
  for (const n of nodes) values.add(n.name);
  const used = new Set<string>();
  for (const n of nodes) for (const p of Object.values(n.params)) used.add(p);
  const types = new Map<string, TensorType>();
  for (const v of values) {
    const t = g.types.get(v);
    if (t) types.set(v, t);
  }
  const params = new Map([...g.params].filter(([name]) => used.has(name)));
  return { ...g, nodes, types, params };
}

/**
 * The clean graph; the input itself when there is nothing to remove: in a valid graph nothing is
 * dangling (ir/verify.ts), so a type or tensor can only be left over by a removed node, and a large
 * graph's types and tensors are neither copied nor gone through to find that out.
 */
export function cleanup(g: IrGraph): PassResult {
  const direct = removePassthrough(g);
  const live = liveNodes(direct);
  return { graph: live.length === g.nodes.length ? g : prune(direct, live), diagnostics: [] };
}

export const cleanupPass: Pass = {
  name: 'cleanup',
  description: 'remove the identities at inference (dropout, identity), then dead code, unused parameter tensors and types',
  optional: false,
  run: (g) => cleanup(g),
};
