/**
 * The graph pane: the picture `resdsl graph` draws of the chosen network (laid out in a worker),
 * shown inline, at the depth picked (every layer, or one box per block), fitted to the pane's
 * width or at its natural size, with a button that downloads the same SVG file as the CLI writes.
 */
import { el } from './diagnostics.js';
import type { GraphDone, GraphJob } from './protocol.js';
import type { Outcome } from './worker-client.js';

/**
 * The SVG as a DOM tree with nothing active left in it: Graphviz writes only shapes and text, but
 * its labels are the user's names, so scripts, foreign content, event handlers and links out of
 * the picture are dropped before it joins the page.
 */
function safeSvg(text: string): SVGSVGElement | undefined {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) return undefined;
  for (const e of [...root.querySelectorAll('*'), root]) {
    if (/^(script|foreignObject|iframe|object|embed|use)$/i.test(e.localName)) {
      e.remove();
      continue;
    }
    for (const a of [...e.attributes]) {
      if (/^on/i.test(a.name) || (/href$/i.test(a.localName) && !a.value.startsWith('#'))) e.removeAttribute(a.name);
    }
  }
  return document.importNode(root, true) as unknown as SVGSVGElement;
}

export interface GraphControls {
  depth: HTMLSelectElement;
  fit: HTMLInputElement;
}

export function graphControls(onChange: () => void): GraphControls {
  const depth = el('select', 'depth');
  depth.append(new Option('every layer', 'layers'), new Option('one box per block', 'blocks'));
  depth.title = 'resdsl graph --depth';
  depth.addEventListener('change', onChange);
  const fit = el('input', '');
  fit.type = 'checkbox';
  fit.checked = true;
  fit.addEventListener('change', () => document.querySelector('#pane-graph .picture')?.classList.toggle('fit', fit.checked));
  return { depth, fit };
}

function toolbar(c: GraphControls): HTMLElement {
  const bar = el('div', 'toolbar');
  const depth = el('label', '', 'Draw ');
  depth.append(c.depth);
  const fit = el('label', '');
  fit.append(c.fit, ' fit to width');
  bar.append(depth, fit);
  return bar;
}

export function renderGraphPending(pane: HTMLElement, c: GraphControls): void {
  pane.dataset['state'] = 'drawing';
  if (!pane.querySelector('.toolbar')) pane.replaceChildren(toolbar(c));
  const status = pane.querySelector('.graph-status') ?? pane.appendChild(el('p', 'graph-status hint'));
  status.textContent = 'Laying out the picture...';
}

export function renderGraph(pane: HTMLElement, c: GraphControls, job: GraphJob, r: Outcome<GraphDone>): void {
  if (!r.ok && 'stale' in r) return;
  const old = pane.querySelector<HTMLAnchorElement>('a.download');
  if (old) URL.revokeObjectURL(old.href);
  pane.replaceChildren(toolbar(c));
  if (!r.ok) {
    pane.dataset['state'] = 'failed';
    pane.append(el('p', 'graph-status', 'No picture: the source does not elaborate.'), el('pre', 'failure', r.message));
    return;
  }
  const svg = safeSvg(r.svg);
  if (!svg) {
    pane.dataset['state'] = 'failed';
    pane.append(el('p', 'graph-status', 'Graphviz wrote an SVG the browser cannot read.'));
    return;
  }
  pane.dataset['state'] = 'ready';
  const name = `${r.network}${job.depth === 'blocks' ? '-blocks' : ''}.svg`;
  const a = el('a', 'button download', `Download ${name}`);
  a.href = URL.createObjectURL(new Blob([r.svg], { type: 'image/svg+xml' }));
  a.download = name;
  const cmd = el('code', '', `resdsl graph ${job.file}${job.network ? ` -n ${job.network}` : ''}${job.depth === 'blocks' ? ' --depth blocks' : ''}${job.options.shortcut !== 'B' ? ` --shortcut ${job.options.shortcut}` : ''} -o ${name}`);
  const status = el('p', 'graph-status hint', `Laid out in ${r.ms.toFixed(0)} ms. The same picture as `);
  status.append(cmd, '. Dashed edges are residual shortcuts; dashed boxes, projections the shortcut policy put in.');
  const picture = el('div', `picture${c.fit.checked ? ' fit' : ''}`);
  picture.append(svg);
  pane.append(a, status, picture);
}
