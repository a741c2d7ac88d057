/**
 * A picture as Graphviz DOT: clusters nested as the blocks and sequences are, boxes coloured by
 * the kind of layer, residual shortcuts dashed (a projection's box dashed too), every edge labelled
 * with its shape. Plain text, deterministic, no Node module (the playground draws it in the page).
 */
import type { Box, Cluster, Picture } from './model.js';

/** A DOT double-quoted string. */
export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A label of several lines, centred. */
const label = (lines: readonly string[]) => quote(lines.join('\n'));

const colours: ReadonlyMap<string, string> = new Map([
  ['conv', '#d6e4f5'],
  ['bn', '#dcefd8'],
  ['layernorm', '#dcefd8'],
  ['maxpool', '#eadcf0'],
  ['avgpool', '#eadcf0'],
  ['gap', '#eadcf0'],
  ['fc', '#f6d5d5'],
  ['linear', '#f6d5d5'],
]);
const activation = new Set(['relu', 'relu6', 'sigmoid', 'hardsigmoid', 'hardswish', 'silu', 'gelu']);

function boxAttrs(b: Box): string {
  switch (b.kind) {
    case 'input':
    case 'output':
      return `shape=oval, style=filled, fillcolor="#ffffff", label=${label(b.label)}`;
    case 'block':
      return `shape=box, style="rounded,filled${b.inserted ? ',dashed' : ''}", fillcolor="#fff2c6", penwidth=1.4, label=${label(b.label)}`;
    case 'layer': {
      if (b.op === 'add' || b.op === 'mul') return `shape=circle, width=0.3, fixedsize=true, style=filled, fillcolor="#ffffff", label=${label(b.label)}`;
      const fill = colours.get(b.op) ?? (activation.has(b.op) ? '#fde8cf' : '#eeeeee');
      return `shape=box, style="rounded,filled${b.inserted ? ',dashed' : ''}", fillcolor="${fill}", label=${label(b.label)}`;
    }
  }
}

const n = (x: number) => x.toLocaleString('en-US');

function macsText(m: number): string {
  if (m >= 1e9) return `${(m / 1e9).toFixed(2)} GMACs`;
  if (m >= 1e6) return `${(m / 1e6).toFixed(1)} MMACs`;
  return `${n(m)} MACs`;
}

function clusterLabel(c: Cluster): string {
  const name = c.parent ? c.prefix.slice(c.parent.length + 1) : c.prefix;
  const what = c.kind === 'sequence' ? '' : `: ${c.kind}`;
  return `${name}${what} · ${n(c.params)} params`;
}

export function toDot(p: Picture): string {
  const out: string[] = [];
  out.push(`digraph ${quote(p.network)} {`);
  out.push(`  graph [rankdir=TB, labelloc=t, fontname="Helvetica", fontsize=14, nodesep=0.25, ranksep=0.3, label=${quote(`${p.network} · ${n(p.params)} params · ${macsText(p.macs)}`)}];`);
  out.push('  node [fontname="Helvetica", fontsize=10, margin="0.12,0.04", height=0.3];');
  out.push('  edge [fontname="Helvetica", fontsize=8, color="#555555", arrowsize=0.6];');
  const children = new Map<string, Cluster[]>();
  for (const c of p.clusters) {
    const list = children.get(c.parent) ?? [];
    list.push(c);
    children.set(c.parent, list);
  }
  const boxesIn = new Map<string, Box[]>();
  for (const b of p.boxes) {
    const list = boxesIn.get(b.cluster) ?? [];
    list.push(b);
    boxesIn.set(b.cluster, list);
  }
  // depth-first; the nesting is bounded by the limits on brackets and block calls
  const emit = (prefix: string, indent: string) => {
    for (const b of boxesIn.get(prefix) ?? []) out.push(`${indent}${quote(b.id)} [${boxAttrs(b)}];`);
    for (const c of children.get(prefix) ?? []) {
      const dashed = c.kind.startsWith('projection') || c.kind === 'shortcut A';
      out.push(`${indent}subgraph ${quote(`cluster_${c.prefix}`)} {`);
      out.push(`${indent}  graph [label=${quote(clusterLabel(c))}, style="rounded${dashed ? ',dashed' : ''}", color="#9a9a9a", fontsize=10, labeljust=l];`);
      emit(c.prefix, `${indent}  `);
      out.push(`${indent}}`);
    }
  };
  emit('', '  ');
  for (const e of p.edges) out.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(e.label)}${e.shortcut ? ', style=dashed' : ''}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
