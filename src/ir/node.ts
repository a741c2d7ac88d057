/** Making a node outside elaboration (passes): its type and parameter tensors come from the op's definition. */
import type { Span } from '../diagnostics/span.js';
import { isInferError, opDef } from './ops/index.js';
import type { Attrs, IrNode, OpName, ParamTensor, TensorType } from './types.js';

export interface NewNode {
  node: IrNode;
  type: TensorType;
  params: ParamTensor[];
}

/** The tensor name of a parameter: `<node>.<role>`, or the node's own name for role ''. */
export function paramName(node: string, role: string): string {
  return role === '' ? node : `${node}.${role}`;
}

/**
 * Builds a node whose inputs have the given types, with the op's declared defaults for every
 * attribute not given; throws (a compiler bug) if the op rejects them.
 */
export function makeNode(
  op: OpName,
  name: string,
  inputs: readonly string[],
  inputTypes: readonly TensorType[],
  attrs: Attrs,
  origin: { span: Span; expansion: readonly Span[]; insertedBy?: string },
): NewNode {
  const def = opDef(op);
  const full = { ...def.attrs, ...attrs };
  const type = def.infer(full, inputTypes);
  if (isInferError(type)) throw new Error(`internal: ${op} node ${name} does not fit its input: ${type.message}`);
  const params: ParamTensor[] = [];
  const roles: Record<string, string> = {};
  for (const p of def.params(full, inputTypes)) {
    const tensor = { name: paramName(name, p.role), shape: p.shape, trainable: p.trainable, init: p.init };
    params.push(tensor);
    roles[p.role] = tensor.name;
  }
  const { span, expansion, insertedBy } = origin;
  const node: IrNode = insertedBy
    ? { name, op, inputs, attrs: full, params: roles, span, expansion, insertedBy }
    : { name, op, inputs, attrs: full, params: roles, span, expansion };
  return { node, type, params };
}

/** Replaces value names in a node's inputs. */
export function renameInputs(n: IrNode, subst: ReadonlyMap<string, string>): IrNode {
  if (subst.size === 0) return n;
  let renamed = false;
  for (const i of n.inputs) if (subst.has(i)) renamed = true;
  if (!renamed) return n;
  return { ...n, inputs: n.inputs.map((i) => subst.get(i) ?? i) };
}

/**
 * The graph's outputs after values were substituted (a removed node's users read its replacement):
 * shared by the passes that remove nodes.
 */
export function renameOutputs<T extends { value: string }>(outputs: readonly T[], subst: ReadonlyMap<string, string>): T[] {
  return outputs.map((o) => (subst.has(o.value) ? { ...o, value: subst.get(o.value)! } : o));
}
