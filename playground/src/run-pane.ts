/**
 * The run pane: the network run by the JS executor in a Web Worker (run-job.ts), on a seeded
 * random input of batch 1, as `resdsl run FILE --random --seed N` does; each output's shape, min,
 * max, mean (and NaN or infinite values, argmax of logits), and the times, with the command that
 * makes the same run.
 */
import type { OutputSummary } from '../../src/report/outputs.js';
import { el } from './diagnostics.js';
import { browserThreads } from './executor-host.js';
import { defaultOptions } from './options.js';
import type { Job, RunDone } from './protocol.js';
import type { Outcome } from './worker-client.js';

const num = (x: number | null) => (x === null ? '-' : x.toPrecision(5));
const kernelNames = new Map<RunDone['kernel'], string>([
  ['wasm-fma', 'WebAssembly SIMD (multiply-add)'],
  ['wasm', 'WebAssembly SIMD'],
  ['js', 'plain JS'],
]);

/** The command line that makes the same run. */
export function runCommand(job: Job): string {
  const o = job.options;
  return [
    'resdsl run',
    job.file,
    ...(job.network !== undefined ? [`-n ${job.network}`] : []),
    `--random --seed ${o.seed}`,
    ...(o.shortcut !== defaultOptions.shortcut ? [`--shortcut ${o.shortcut}`] : []),
    ...(o.fuse ? [] : ['--no-fuse']),
  ].join(' ');
}

function header(pane: HTMLElement, job: Job, button: HTMLButtonElement): void {
  const threads = browserThreads() === 2 ? 'two threads' : 'one thread: two need a cross-origin isolated page';
  const p = el('p', 'hint', `Runs the network in the JS executor (in a Web Worker, ${threads}) on random normal values of batch 1, the same as `);
  p.append(el('code', '', runCommand(job)), '.');
  pane.append(button, p);
}

export function renderRunIdle(pane: HTMLElement, job: Job, button: HTMLButtonElement): void {
  pane.replaceChildren();
  pane.dataset['state'] = 'idle';
  button.disabled = false;
  header(pane, job, button);
}

export function renderRunPending(pane: HTMLElement, button: HTMLButtonElement): void {
  pane.dataset['state'] = 'running';
  button.disabled = true;
  pane.querySelector('.run-result')?.remove();
  pane.append(el('p', 'run-result onnx-status', 'Compiling and running...'));
}

function outputsTable(outputs: readonly OutputSummary[]): HTMLTableElement {
  const table = el('table', 'kv outputs');
  const head = el('tr', '');
  for (const h of ['Output', 'Shape', 'Min', 'Max', 'Mean', 'NaN / inf', 'Argmax']) head.append(el('th', '', h));
  table.append(head);
  for (const s of outputs) {
    const tr = el('tr', '');
    tr.dataset['output'] = s.name;
    tr.append(
      el('td', '', s.name),
      el('td', 'mono', `[${s.shape.join(', ')}]`),
      el('td', 'num', num(s.min)),
      el('td', 'num', num(s.max)),
      el('td', 'num', num(s.mean)),
      el('td', 'num', `${s.nan} / ${s.inf}`),
      el('td', 'num', s.argmax ? s.argmax.join(', ') : '-'),
    );
    table.append(tr);
  }
  return table;
}

export function renderRun(pane: HTMLElement, job: Job, button: HTMLButtonElement, r: Outcome<RunDone>): void {
  if (!r.ok && 'stale' in r) return;
  pane.replaceChildren();
  button.disabled = false;
  header(pane, job, button);
  const box = el('div', 'run-result');
  if (!r.ok) {
    pane.dataset['state'] = 'failed';
    box.append(el('pre', 'failure', r.message));
  } else {
    pane.dataset['state'] = 'done';
    box.append(
      el(
        'p',
        'onnx-status',
        `${r.network}: input [${r.inputShape.join(', ')}], seed ${job.options.seed}, ${r.threads} thread${r.threads === 1 ? '' : 's'}, ${kernelNames.get(r.kernel)} kernels. ` +
          `Compiled in ${r.compileMs.toFixed(0)} ms, prepared in ${r.prepareMs.toFixed(0)} ms, ran in ${r.runMs.toFixed(1)} ms (again: ${r.warmRunMs.toFixed(1)} ms).`,
      ),
      outputsTable(r.outputs),
    );
    // the exact numbers, for a test or a person comparing with `resdsl run --json`
    box.dataset['outputs'] = JSON.stringify(r.outputs);
    box.dataset['runMs'] = String(r.runMs);
    box.dataset['warmRunMs'] = String(r.warmRunMs);
    box.dataset['threads'] = String(r.threads);
    box.dataset['kernel'] = r.kernel;
  }
  pane.append(box);
}
