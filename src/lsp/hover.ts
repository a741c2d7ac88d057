/**
 * Hover: what the thing under the cursor is and computes. On a layer: its output type, parameters
 * and MACs (a layer inside a block used several times has one IR node per use: the first is shown,
 * with the number of uses and the other types when they differ); on a block call: the expanded
 * block's totals; on a labelled stage: its totals; on a block or network (its definition or a use
 * of its name): its signature and documentation comment; on a parameter, index, function or policy:
 * what it is.
 */
import type { Span } from '../diagnostics/span.js';
import type { NameRef } from '../ir/elaborate/names.js';
import { formatType, type IrNode } from '../ir/types.js';
import type { CallExpr, CallTerm, LayerStmt } from '../parser/ast.js';
import { irIndex, nodesAt, nodesCalledAt, rootFile, type Analysis, type IrIndex } from './analysis.js';
import { count, declSignature, functionSignature, layerSignature, macs, type Signature } from './docs.js';
import { nodesAt as astAt, type Found } from './find.js';
import { contains } from './text.js';

export interface HoverResult {
  markdown: string;
  span: Span;
}

const code = (s: string) => `\`\`\`resdsl\n${s}\n\`\`\``;

function signatureText(s: Signature): string {
  return [code(s.label), s.doc].filter((x) => x !== '').join('\n\n');
}

/** The group of IR nodes one use stands for, and its totals. */
interface Use {
  network: string;
  /** What the use is named (a labelled stage's qualified name); the nodes' common prefix otherwise. */
  name?: string;
  nodes: IrNode[];
  params: number;
  macs: number;
  out: string;
}

function totals(ix: IrIndex, nodes: IrNode[]): Use {
  let params = 0;
  let m = 0;
  for (const n of nodes) {
    const row = ix.rows.get(n.name);
    params += row?.params ?? 0;
    m += row?.macs ?? 0;
  }
  const last = nodes.reduce((a, b) => (ix.order.get(b.name)! > ix.order.get(a.name)! ? b : a));
  return { network: ix.network, nodes, params, macs: m, out: formatType(ix.graph.types.get(last.name)!) };
}

/** Splits the nodes of a call site into its uses: one per instance prefix (`layer1.0`, `layer1.1`). */
function byInstance(ix: IrIndex, nodes: IrNode[], block: string | undefined): Use[] {
  const modules = ix.graph.modules ?? new Map<string, string>();
  const groups = new Map<string, IrNode[]>();
  for (const n of nodes) {
    let key = '';
    if (block !== undefined) {
      const parts = n.name.split('.');
      for (let i = parts.length - 1; i > 0; i--) {
        const p = parts.slice(0, i).join('.');
        if (modules.get(p) === block) {
          key = p;
          break;
        }
      }
    }
    const list = groups.get(key);
    if (list) list.push(n);
    else groups.set(key, [n]);
  }
  return [...groups.values()].map((g) => totals(ix, g));
}

function usesText(uses: Use[], what: (u: Use) => string): string {
  if (uses.length === 0) return '';
  const several = new Set(uses.map((u) => u.network)).size > 1;
  const line = (u: Use) => `${several ? `${u.network}: ` : ''}${what(u)}`;
  if (uses.length === 1) return line(uses[0]!);
  const shown = uses.slice(0, 6).map((u) => `- ${line(u)}`);
  const more = uses.length > 6 ? [`- ... ${uses.length - 6} more`] : [];
  return [`${uses.length} uses:`, ...shown, ...more].join('\n');
}

const layerUse = (u: Use) => {
  const n = u.nodes[0]!;
  return `\`${n.name}\`: \`${u.out}\` · ${count(u.params)} params · ${macs(u.macs)}`;
};

const blockUse = (u: Use) => {
  const prefix = u.name ?? commonPrefix(u.nodes.map((n) => n.name));
  return `${prefix ? `\`${prefix}\` → ` : ''}\`${u.out}\` · ${count(u.params)} params · ${macs(u.macs)} (${u.nodes.length} layers)`;
};

function commonPrefix(names: string[]): string {
  if (names.length === 0) return '';
  let parts = names[0]!.split('.');
  for (const n of names) {
    const q = n.split('.');
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('.');
}

/** The uses of a call written at `span` across the analysed networks. */
function callUses(a: Analysis, span: Span, layer: boolean, block: string | undefined): Use[] {
  const out: Use[] = [];
  for (const net of a.networks) {
    const ix = irIndex(net);
    if (layer) for (const n of nodesAt(ix, span)) out.push(totals(ix, [n]));
    else {
      const nodes = nodesCalledAt(ix, span);
      if (nodes.length) out.push(...byInstance(ix, nodes, block));
    }
  }
  return out;
}

function refAt(a: Analysis, span: Span): NameRef | undefined {
  return a.refs.find((r) => r.span.file === span.file && r.span.start === span.start && r.span.end === span.end);
}

function meaningText(a: Analysis, r: NameRef | undefined, name: string): string | undefined {
  const m = r?.meaning;
  if (m === undefined) {
    const l = layerSignature(name) ?? functionSignature(name);
    return l ? signatureText(l) : undefined;
  }
  switch (m.kind) {
    case 'decl':
      return signatureText(declSignature(m.ref));
    case 'param': {
      const p = m.decl.params.find((x) => x.name.span.start === m.span.start);
      const text = a.program ? [...a.program.files.values()].find((f) => f.name === m.span.file)?.text : undefined;
      const dflt = p?.default && text !== undefined ? ` = ${text.slice(p.default.span.start, p.default.span.end)}` : '';
      return `${code(`${name}${dflt}`)}\n\nparameter of ${m.decl.kind === 'Block' ? 'block' : 'network'} \`${m.decl.name.name}\``;
    }
    case 'index':
      return `${code(name)}\n\nrepetition index: 0, 1, ... in each item`;
    case 'layer': {
      const s = layerSignature(name);
      return s ? signatureText(s) : undefined;
    }
    case 'function': {
      const s = functionSignature(name);
      return s ? signatureText(s) : undefined;
    }
    case 'policy':
      return `${code(name)}\n\nshortcut policy: A (identity or zero-padding), B (projection where the shape changes), C (always a projection), auto (follows --shortcut)`;
  }
}

/** A call of a layer or block (a statement's call, or a derived network's base). */
function callHover(a: Analysis, call: CallTerm | CallExpr): HoverResult {
  const r = refAt(a, call.callee.span);
  const name = call.callee.name;
  const isBlock = r?.meaning.kind === 'decl';
  const isLayer = r === undefined ? layerSignature(name) !== undefined : r.meaning.kind === 'layer';
  const head = meaningText(a, r, name) ?? code(name);
  const blockName = isBlock && r?.meaning.kind === 'decl' ? r.meaning.ref.decl.name.name : undefined;
  let uses = callUses(a, call.span, isLayer && !isBlock, blockName);
  // a parameter holding a block or layer: its call expands like a block's
  if (uses.length === 0 && !isLayer) uses = callUses(a, call.span, true, undefined);
  const body = uses.length ? usesText(uses, isLayer ? layerUse : blockUse) : a.networks.length ? 'not part of a checked network here' : '';
  return { markdown: [head, body].filter((x) => x !== '').join('\n\n---\n\n'), span: call.callee.span };
}

/** A labelled statement: the totals of what it holds, per use. */
function labelHover(a: Analysis, stmt: LayerStmt): HoverResult {
  const label = stmt.label!;
  const text = a.text.slice(label.span.start, label.span.end);
  const uses: Use[] = [];
  for (const net of a.networks) {
    const ix = irIndex(net);
    const inside = ix.graph.nodes.filter((n) => within(n.span, stmt.span) || n.expansion.some((e) => within(e, stmt.span)));
    if (inside.length === 0) continue;
    const groups = new Map<string, IrNode[]>();
    for (const n of inside) {
      const key = label.kind === 'Ident' ? prefixThrough(n.name, label.name) : '';
      const list = groups.get(key);
      if (list) list.push(n);
      else groups.set(key, [n]);
    }
    for (const [key, g] of groups) uses.push({ ...totals(ix, g), ...(key !== '' ? { name: key } : {}) });
  }
  const body = uses.length ? usesText(uses, blockUse) : 'not part of a checked network here';
  return { markdown: `${code(`${text}:`)}\n\nlabelled stage\n\n---\n\n${body}`, span: label.span };
}

const within = (s: Span, outer: Span) => s.file === outer.file && s.start >= outer.start && s.end <= outer.end;

/** `layer1.0.conv1` through the segment `layer1`: `layer1`. */
function prefixThrough(name: string, segment: string): string {
  const parts = name.split('.');
  const i = parts.indexOf(segment);
  return i < 0 ? '' : parts.slice(0, i + 1).join('.');
}

export function hover(a: Analysis, offset: number): HoverResult | undefined {
  const root = rootFile(a);
  if (root === undefined) return undefined;
  const chain = astAt(root.ast, offset);
  const inner = chain[chain.length - 1];
  if (inner === undefined) return undefined;
  const parent: Found | undefined = chain[chain.length - 2];
  const node = inner.node;
  if (node.kind === 'Ident') {
    const p = parent?.node;
    if (p === undefined) return undefined;
    if ((p.kind === 'Call' || p.kind === 'CallExpr') && inner.field === 'callee') return callHover(a, p as unknown as CallTerm);
    if ((p.kind === 'Block' || p.kind === 'Network') && inner.field === 'name') return declHover(a, p.name as never, node.span);
    if (p.kind === 'Layer' && inner.field === 'label') return labelHover(a, p as unknown as LayerStmt);
    if (p.kind === 'Input' && inner.field === 'name') {
      const types = a.networks.flatMap((n) => n.graph.inputs.filter((i) => i.span.start === p.span.start).map((i) => `${n.name}: \`${formatType(i.type)}\``));
      return { markdown: `${code(`input ${String((node as { name?: string }).name)}`)}${types.length ? `\n\n${types.join('\n\n')}` : ''}`, span: node.span };
    }
    if (p.kind === 'Output') {
      const name = String((p.name as { name: string }).name);
      const types = a.networks.flatMap((n) => n.graph.outputs.filter((o) => o.name === name).map((o) => `${n.name}: \`${formatType(n.graph.types.get(o.value)!)}\``));
      return { markdown: `${code(`output ${name}`)}${types.length ? `\n\n${types.join('\n\n')}` : ''}`, span: node.span };
    }
    const r = refAt(a, node.span);
    const text = r ? meaningText(a, r, r.name) : undefined;
    return text ? { markdown: text, span: node.span } : undefined;
  }
  if (node.kind === 'Template' && parent?.node.kind === 'Layer') return labelHover(a, parent.node as unknown as LayerStmt);
  if (node.kind === 'Name' || (node.kind === 'CallExpr' && contains((node.callee as { span: Span }).span, offset))) {
    const name = String(node.kind === 'Name' ? node.name : (node.callee as { name: string }).name);
    const s = node.kind === 'Name' ? node.span : (node.callee as { span: Span }).span;
    const text = meaningText(a, refAt(a, s), name);
    return text ? { markdown: text, span: s } : undefined;
  }
  if (node.kind === 'Use') {
    const u = root.uses.find((x) => x.decl === (node as unknown));
    const f = u ? a.program?.files.get(u.absPath) : undefined;
    const doc = f ? (f.text.match(/^(#.*\n)+/)?.[0] ?? '').replace(/^# ?/gm, '').trim() : '';
    return { markdown: `${code(a.text.slice(node.span.start, node.span.end))}${f ? `\n\n${f.name}` : ''}${doc ? `\n\n${doc}` : ''}`, span: node.span };
  }
  return undefined;
}

/** A block or network at its definition: signature, documentation, and for a network its totals. */
function declHover(a: Analysis, name: { name: string }, span: Span): HoverResult | undefined {
  const root = rootFile(a)!;
  const ref = a.scopes.get(root.absPath)?.get(name.name);
  if (ref === undefined || ref.file !== root) return undefined;
  const parts = [signatureText(declSignature(ref))];
  const net = a.networks.find((n) => n.name === name.name);
  if (net?.stats) {
    const outs = net.graph.outputs.map((o) => `${o.name}: \`${formatType(net.graph.types.get(o.value)!)}\``).join(', ');
    parts.push(`${count(net.stats.params)} params · ${macs(net.stats.macs)} · ${net.graph.nodes.length} layers${outs ? ` · ${outs}` : ''}`);
  } else if (ref.decl.kind === 'Block') {
    const calls = a.refs.filter((r) => r.meaning.kind === 'decl' && r.meaning.ref.decl === ref.decl);
    if (calls.length) parts.push(`called at ${calls.length} place${calls.length === 1 ? '' : 's'} in this program`);
  }
  return { markdown: parts.join('\n\n---\n\n'), span };
}
