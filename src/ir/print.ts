/**
 * The canonical text form of an IR graph (`--emit ir`, `--print-after`, test snapshots). MLIR-like,
 * deterministic, with no spans and no weight data:
 *
 *   network t(%image: f32[N, 3, 8, 8]) {
 *     %conv1 = conv(%image) {out = 4, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [4, 3, 3, 3]) : f32[N, 4, 8, 8]
 *     %bn1 = bn(%conv1) {eps = 0.00001} params(weight: [4], bias: [4], running_mean: [4], running_var: [4]) : f32[N, 4, 8, 8]
 *     %downsample.0 = conv(%relu) {...} params(weight: [8, 4, 1, 1]) : f32[N, 8, 4, 4]  # inserted by shortcut
 *     output logits = %fc : f32[N, 10]
 *   }
 *
 * Every attribute is written, in the order of the op definition (defaults included, so a line says
 * everything about its node); parameters are listed by role in ONNX input order, each with its
 * shape, and with its tensor name only where that is not `<node>.<role>`. A value whose type is
 * missing prints as `?` (the verifier reports it).
 */
import { opDef } from './ops/index.js';
import { paramName } from './node.js';
import { formatType, type AttrValue, type IrGraph, type IrNode, type TensorType } from './types.js';

function formatAttrValue(v: AttrValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}

/** Attributes in the op definition's order, then any the definition does not know (sorted). */
export function formatAttrs(n: IrNode): string {
  const def = opDef(n.op);
  const known = Object.keys(def.attrs);
  const extra = Object.keys(n.attrs)
    .filter((k) => !known.includes(k))
    .sort();
  const parts = [...known, ...extra].map((k) => `${k} = ${formatAttrValue(n.attrs[k] ?? def.attrs[k]!)}`);
  return parts.length ? ` {${parts.join(', ')}}` : '';
}

function formatParams(g: IrGraph, n: IrNode): string {
  const roles = Object.keys(n.params);
  if (roles.length === 0) return '';
  const parts = roles.map((role) => {
    const name = n.params[role]!;
    const t = g.params.get(name);
    const shape = t ? `[${t.shape.join(', ')}]` : '?';
    const label = name === paramName(n.name, role) ? role || 'tensor' : `${role || 'tensor'} @${name}`;
    return `${label}: ${shape}`;
  });
  return ` params(${parts.join(', ')})`;
}

function typeOf(g: IrGraph, value: string): string {
  const t: TensorType | undefined = g.types.get(value);
  return t ? formatType(t) : '?';
}

/** One node's line, without indentation. */
export function printNode(g: IrGraph, n: IrNode): string {
  const args = n.inputs.map((i) => `%${i}`).join(', ');
  const note = n.insertedBy ? `  # inserted by ${n.insertedBy}` : '';
  return `%${n.name} = ${n.op}(${args})${formatAttrs(n)}${formatParams(g, n)} : ${typeOf(g, n.name)}${note}`;
}

/** The whole graph, one line per node, ending with a newline. */
export function printGraph(g: IrGraph): string {
  const ins = g.inputs.map((i) => `%${i.name}: ${formatType(i.type)}`).join(', ');
  const lines = [`network ${g.name}(${ins}) {`];
  for (const n of g.nodes) lines.push(`  ${printNode(g, n)}`);
  for (const o of g.outputs) lines.push(`  output ${o.name} = %${o.value} : ${typeOf(g, o.value)}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
