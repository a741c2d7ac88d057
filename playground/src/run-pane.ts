/**
 * The run pane: the network run once by the JS executor in a Web Worker (run-job.ts), on a seeded
 * random input of batch 1, as `resdsl run FILE --random --seed N` does; each output's shape, min,
 * max, mean (and NaN or infinite values, argmax of logits), and the times. Until the executor
 * bundles for a browser, the pane says so and gives the command that does the same run.
 */
import type { OutputSummary } from '../../src/report/outputs.js';
import { el } from './diagnostics.js';
import { defaultOptions } from './options.js';
import type { Job, RunDone } from './protocol.js';
import type { Outcome } from './worker-client.js';

const num = (x: number | null) => (x === null ? '-' : x.toPrecision(5));

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
  const p = el('p', 'hint', 'Runs the network once in the JS executor (one thread, in a Web Worker) on random normal values of batch 1, the same as ');
  p.append(el('code', '', runCommand(job)), '.');
  pane.append(button, p);
}

export function renderRunIdle(pane: HTMLElement, job: Job, button: HTMLButtonElement, available: boolean): void {
  pane.replaceChildren();
  pane.dataset['state'] = available ? 'idle' : 'unavailable';
  button.disabled = !available;
  header(pane, job, button);
  if (!available) {
    pane.append(
      el(
        'p',
        'stale-note',
        'Running is not available in the browser yet: the JS executor (src/runtime/js) imports Node modules for its second thread, so it does not bundle for a browser. The command above makes the same run.',
      ),
    );
  }
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
      el('p', 'onnx-status', `${r.network}: input [${r.inputShape.join(', ')}], seed ${job.options.seed}. Compiled in ${r.compileMs.toFixed(0)} ms, prepared in ${r.prepareMs.toFixed(0)} ms, ran in ${r.runMs.toFixed(1)} ms.`),
      outputsTable(r.outputs),
    );
    // the exact numbers, for a test or a person comparing with `resdsl run --json`
    box.dataset['outputs'] = JSON.stringify(r.outputs);
    box.dataset['runMs'] = String(r.runMs);
  }
  pane.append(box);
}
