/**
 * Clean-up: removes the ops that are the identity at inference (`dropout`, `identity`: what their
 * definitions declare), their
 * users and outputs reading their input instead; then removes dead code (nodes no graph output
 * depends on); then drops the types and parameter tensors of removed nodes, so that nothing is
 * left dangling. Graph inputs stay, used or not: they are the network's interface.
 */
import { renameInputs, renameOutputs } from '../ir/node.js';
import { opDef } from '../ir/ops/index.js';
import type { IrGraph, IrNode } from '../ir/types.js';
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

/** The nodes some graph output depends on, in their order. */
export function liveNodes(g: IrGraph): IrNode[] {
  const live = new Set(g.outputs.map((o) => o.value));
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (live.has(n.name)) for (const v of n.inputs) live.add(v);
  }
  return g.nodes.filter((n) => live.has(n.name));
}

/** Keeps the nodes given, and only the types and parameter tensors they (and the inputs) need. */
function prune(g: IrGraph, nodes: readonly IrNode[]): IrGraph {
  const values = [...g.inputs.map((i) => i.name), ...nodes.map((n) => n.name)];
  const types = new Map(values.filter((v) => g.types.has(v)).map((v) => [v, g.types.get(v)!] as const));
  const used = new Set(nodes.flatMap((n) => Object.values(n.params)));
  const params = new Map([...g.params].filter(([name]) => used.has(name)));
  return { ...g, nodes, types, params };
}

/** The clean graph; the input itself when there is nothing to remove. */
export function cleanup(g: IrGraph): PassResult {
  const direct = removePassthrough(g);
  const pruned = prune(direct, liveNodes(direct));
  const same = direct === g && pruned.nodes.length === g.nodes.length && pruned.types.size === g.types.size && pruned.params.size === g.params.size;
  return { graph: same ? g : pruned, diagnostics: [] };
}

export const cleanupPass: Pass = {
  name: 'cleanup',
  description: 'remove the identities at inference (dropout, identity), then dead code, unused parameter tensors and types',
  optional: false,
  run: (g) => cleanup(g),
};
