/**
 * The summary pane: what `resdsl summary` prints, as a table: totals (parameters, MACs, buffers,
 * input and output types), then one row per block and per layer with its op, output type,
 * parameters and MACs; projections the shortcut policy put in are marked `*`.
 */
import type { Summary } from '../../src/report/summary.js';
import { el } from './diagnostics.js';

const n = (x: number) => x.toLocaleString('en-US');

export function renderSummary(pane: HTMLElement, s: Summary | undefined, stale: boolean): void {
  pane.replaceChildren();
  pane.classList.toggle('stale', stale);
  if (!s) {
    pane.append(el('p', 'empty', 'No network yet: the file declares no concrete network, or every network has errors.'));
    return;
  }
  if (stale) pane.append(el('p', 'stale-note', 'The source has errors: this is the summary of the last version without them.'));
  const totals = el('dl', 'totals');
  const fact = (k: string, v: string, id: string) => {
    const dd = el('dd', '', v);
    dd.dataset['total'] = id;
    totals.append(el('dt', '', k), dd);
  };
  fact('network', s.network, 'network');
  fact('parameters', n(s.params), 'params');
  fact('MACs (batch 1)', n(s.macs), 'macs');
  fact('buffers (bn statistics)', n(s.buffers), 'buffers');
  fact('inputs', s.inputs.map((i) => `${i.name}: ${i.type}`).join(', '), 'inputs');
  fact('outputs', s.outputs.map((o) => `${o.name}: ${o.type}`).join(', '), 'outputs');
  pane.append(totals);

  const table = el('table', 'layers');
  const head = el('tr', '');
  for (const h of ['Layer', 'Op', 'Output', 'Params', 'MACs']) head.append(el('th', '', h));
  table.append(el('thead', ''), el('tbody', ''));
  table.tHead!.append(head);
  const body = table.tBodies[0]!;
  for (const r of s.layers) {
    const tr = el('tr', r.group ? 'group' : '');
    const name = el('td', 'name', r.name);
    name.style.paddingLeft = `${0.4 + r.depth * 1.1}em`;
    tr.append(name, el('td', 'op', `${r.op}${r.inserted ? ' *' : ''}`), el('td', 'type', r.output), el('td', 'num', n(r.params)), el('td', 'num', n(r.macs)));
    body.append(tr);
  }
  pane.append(table);
  if (s.layers.some((r) => r.inserted)) pane.append(el('p', 'footnote', '* put in by the shortcut policy'));
}
