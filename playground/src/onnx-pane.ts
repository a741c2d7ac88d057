/**
 * The ONNX pane: the model `resdsl compile` makes of the current source (compiled in a worker),
 * what it holds (nodes by op type, initializers, opset, metadata), and a button that downloads
 * the exact bytes.
 */
import { el } from './diagnostics.js';
import type { Job, OnnxDone } from './protocol.js';
import type { Outcome } from './worker-client.js';

const mib = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;

export function renderOnnxPending(pane: HTMLElement, job: Job): void {
  pane.dataset['state'] = 'compiling';
  // the model shown is about to be out of date: no download of it meanwhile
  releaseDownload(pane);
  pane.querySelector('a.download')?.remove();
  const p = pane.querySelector('.onnx-status') ?? pane.appendChild(el('p', 'onnx-status'));
  p.textContent = `Compiling ${job.file}${job.network ? ` (${job.network})` : ''}...`;
}

/** Where the bytes come from, with the command that makes the same file. */
function hint(): HTMLElement {
  const p = el('p', 'hint', 'The same bytes as ');
  p.append(el('code', '', 'resdsl compile FILE -o OUT.onnx'), ' makes with these options (seeded weights). Netron shows it; onnxruntime runs it.');
  return p;
}

export function renderOnnx(pane: HTMLElement, r: Outcome<OnnxDone>): void {
  if (!r.ok && 'stale' in r) return;
  releaseDownload(pane);
  pane.replaceChildren();
  if (!r.ok) {
    pane.dataset['state'] = 'failed';
    pane.append(el('p', 'onnx-status', 'No model: the source does not compile.'), el('pre', 'failure', r.message));
    return;
  }
  pane.dataset['state'] = 'ready';
  const name = `${r.network}.onnx`;
  const url = URL.createObjectURL(new Blob([r.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = el('a', 'button download', `Download ${name}`);
  a.href = url;
  a.download = name;
  a.dataset['bytes'] = String(r.bytes.length);
  pane.append(
    el('p', 'onnx-status', `${name}: ${mib(r.bytes.length)}, ${r.nodes} nodes, ${r.initializers} initializers, opset ${r.opset}; compiled in ${r.compileMs.toFixed(0)} ms.`),
    a,
    hint(),
  );
  const ops = el('table', 'kv');
  for (const [op, count] of r.ops) {
    const tr = el('tr', '');
    tr.append(el('td', '', op), el('td', 'num', String(count)));
    ops.append(tr);
  }
  const meta = el('table', 'kv');
  for (const [k, v] of r.metadata) {
    const tr = el('tr', '');
    tr.append(el('td', '', k), el('td', 'mono', v));
    meta.append(tr);
  }
  pane.append(el('h3', '', 'Nodes by op'), ops, el('h3', '', 'Metadata'), meta);
}

/** Frees the previous download's blob when the pane is redrawn. */
function releaseDownload(pane: HTMLElement): void {
  const a = pane.querySelector<HTMLAnchorElement>('a.download');
  if (a) URL.revokeObjectURL(a.href);
}
