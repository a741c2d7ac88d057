/**
 * `resdsl summary`: a torchinfo-like table of a network, one row per block and per layer with
 * its output shape, parameters and MACs, with totals; and the same data as JSON.
 */
import { graphStats } from '../ir/stats.js';
import { formatType, type IrGraph } from '../ir/types.js';

export interface SummaryRow {
  name: string;
  /** The op (`conv`), or for a group of layers what it is (`basic`, `sequence`, `projection (shortcut B)`). */
  op: string;
  depth: number;
  output: string;
  params: number;
  macs: number;
  /** Put in by the shortcut policy, not written by the user. */
  inserted: boolean;
  /** A group of layers (a block or a labelled sequence) rather than one layer. */
  group: boolean;
}

export interface Summary {
  network: string;
  params: number;
  buffers: number;
  macs: number;
  inputs: { name: string; type: string }[];
  outputs: { name: string; type: string }[];
  layers: SummaryRow[];
}

export function summarize(g: IrGraph): Summary {
  const stats = graphStats(g);
  const modules = g.modules ?? new Map<string, string>();
  const rows: SummaryRow[] = [];
  const groupRows = new Map<string, SummaryRow>();
  stats.layers.forEach((l, i) => {
    const parts = l.name.split('.');
    for (let d = 1; d < parts.length; d++) {
      const prefix = parts.slice(0, d).join('.');
      if (!modules.has(prefix)) continue;
      let row = groupRows.get(prefix);
      if (!row) {
        const kind = modules.get(prefix)!;
        row = { name: prefix, op: kind, depth: 0, output: '', params: 0, macs: 0, inserted: kind.startsWith('projection') || kind === 'shortcut A', group: true };
        groupRows.set(prefix, row);
        rows.push(row);
      }
      row.params += l.params;
      row.macs += l.macs;
      row.output = formatType(g.types.get(g.nodes[i]!.name)!);
    }
    rows.push({ name: l.name, op: l.op, depth: 0, output: l.output, params: l.params, macs: l.macs, inserted: l.inserted, group: false });
  });
  for (const r of rows) r.depth = r.name.split('.').filter((_, i, a) => modules.has(a.slice(0, i + 1).join('.'))).length - (r.group ? 1 : 0);
  return {
    network: g.name,
    params: stats.params,
    buffers: stats.buffers,
    macs: stats.macs,
    inputs: g.inputs.map((i) => ({ name: i.name, type: formatType(i.type) })),
    outputs: g.outputs.map((o) => ({ name: o.name, type: formatType(g.types.get(o.value)!) })),
    layers: rows,
  };
}

const n = (x: number) => x.toLocaleString('en-US');

export function renderSummary(s: Summary): string {
  const cells = s.layers.map((r) => [
    `${'  '.repeat(r.depth)}${r.name} (${r.op})${r.inserted ? ' *' : ''}`,
    r.output,
    n(r.params),
    n(r.macs),
  ]);
  const head = ['Layer (op)', 'Output shape', 'Params', 'MACs'];
  // a fold, not Math.max(...cells): a spread of 100,000 rows overflows the stack
  const w = head.map((h, i) => cells.reduce((m, c) => Math.max(m, c[i]!.length), h.length));
  const line = (c: string[]) => [c[0]!.padEnd(w[0]!), c[1]!.padEnd(w[1]!), c[2]!.padStart(w[2]!), c[3]!.padStart(w[3]!)].join('  ').trimEnd();
  const rule = '='.repeat(w.reduce((a, b) => a + b, 0) + 6);
  const out = [
    `network ${s.network}`,
    rule,
    line(head),
    rule,
    ...cells.map(line),
    rule,
    `Inputs:  ${s.inputs.map((i) => `${i.name}: ${i.type}`).join(', ')}`,
    `Outputs: ${s.outputs.map((o) => `${o.name}: ${o.type}`).join(', ')}`,
    `Total params: ${n(s.params)}`,
    `Buffers (batch-norm running statistics, not counted above): ${n(s.buffers)}`,
    `Total MACs (conv and fc, batch 1): ${n(s.macs)}`,
  ];
  if (s.layers.some((r) => r.inserted)) out.push('* put in by the shortcut policy');
  return out.join('\n');
}
