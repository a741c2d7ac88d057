/** Making a node outside elaboration (passes): its type and parameter tensors come from the op's definition. */
import type { Span } from '../diagnostics/span.js';
import { isInferError, ops } from './ops/index.js';
import type { Attrs, IrNode, OpName, ParamTensor, TensorType } from './types.js';

export interface NewNode {
  node: IrNode;
  type: TensorType;
  params: ParamTensor[];
}

/** Builds a node whose inputs have the given types; throws (a compiler bug) if the op rejects them. */
export function makeNode(
  op: OpName,
  name: string,
  inputs: readonly string[],
  inputTypes: readonly TensorType[],
  attrs: Attrs,
  origin: { span: Span; expansion: readonly Span[]; insertedBy?: string },
): NewNode {
  const def = ops[op];
  const full = { ...def.attrs, ...attrs };
  const type = def.infer(full, inputTypes);
  if (isInferError(type)) throw new Error(`internal: ${op} node ${name} does not fit its input: ${type.message}`);
  const specs = def.params(full, inputTypes);
  const params: ParamTensor[] = specs.map((p) => ({
    name: `${name}.${p.role}`,
    shape: p.shape,
    trainable: p.trainable,
    init: p.init,
    ...(p.fan ? { fan: p.fan } : {}),
  }));
  const node: IrNode = {
    name,
    op,
    inputs,
    attrs: full,
    params: Object.fromEntries(specs.map((p, i) => [p.role, params[i]!.name])),
    span: origin.span,
    expansion: origin.expansion,
    ...(origin.insertedBy ? { insertedBy: origin.insertedBy } : {}),
  };
  return { node, type, params };
}

/** Replaces value names in a node's inputs. */
export function renameInputs(n: IrNode, subst: ReadonlyMap<string, string>): IrNode {
  if (!n.inputs.some((i) => subst.has(i))) return n;
  return { ...n, inputs: n.inputs.map((i) => subst.get(i) ?? i) };
}
