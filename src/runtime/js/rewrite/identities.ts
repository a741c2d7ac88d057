/**
 * Identity nodes (and inference Dropout without a mask) pass their input through; exporters leave
 * them between a conv and its residual add, where they would stop fusion. Their readers are made
 * to read the input instead, unless the output is a graph output (the node then stays).
 */
import type { OnnxNode } from '../../../onnx/model.js';
import type { PlanNode } from '../fuse.js';

function passThrough(n: OnnxNode): boolean {
  if (n.domain !== '' || n.outputs.length !== 1 || n.inputs[0] === undefined || n.inputs[0] === '') return false;
  if (n.opType === 'Identity') return n.inputs.length === 1;
  // Dropout's optional ratio and training_mode inputs: training_mode must be absent (inference).
  return n.opType === 'Dropout' && (n.inputs[2] ?? '') === '' && Object.keys(n.attrs).every((a) => a === 'ratio' || a === 'seed');
}

export function dropIdentities(list: readonly PlanNode[], graphOutputs: ReadonlySet<string>): PlanNode[] {
  const alias = new Map<string, string>();
  const resolve = (v: string) => alias.get(v) ?? v;
  const out: PlanNode[] = [];
  for (const p of list) {
    const inputs = p.node.inputs.map(resolve);
    const node = inputs.some((v, i) => v !== p.node.inputs[i]) ? { ...p.node, inputs } : p.node;
    if (passThrough(node) && !graphOutputs.has(node.outputs[0]!)) {
      alias.set(node.outputs[0]!, node.inputs[0]!);
      continue;
    }
    out.push(node === p.node ? p : { ...p, node });
  }
  return out;
}
