/**
 * The playground page: wires the editor, the compiler (analyse.ts, on this thread, at every
 * change: diagnostics and the summary), the panes that work in Web Workers (graph, ONNX, run: each
 * refreshed when shown), the options and the URL fragment. Timings go to the Performance
 * timeline, where the browser test reads them: `resdsl-ready` when the page is interactive, a
 * `resdsl-update` measure for each update after an edit. `data-version` (bumped at each update)
 * and `data-saved-version` (the update the URL fragment holds) on <html> say what the page shows.
 */
import { analyse, type Analysis } from './analyse.js';
import { lintDiagnostics, renderProblems } from './diagnostics.js';
import { createEditor } from './editor.js';
import { encodeFragment, parseFragment, type PageState } from './fragment.js';
import { renderOnnx, renderOnnxPending } from './onnx-pane.js';
import { defaultOptions, parseSeed, type Options } from './options.js';
import { graphControls, renderGraph, renderGraphPending } from './graph-pane.js';
import type { GraphDone, GraphJob, Job, OnnxDone, RunDone } from './protocol.js';
import { renderRun, renderRunIdle, renderRunPending } from './run-pane.js';
import { exampleFile, examples } from './sources.js';
import { renderSummary } from './summary-pane.js';
import { WorkerClient } from './worker-client.js';
import type { Summary } from '../../src/report/summary.js';

const defaultExample = 'resnet18';
/** Quiet time after a keystroke before the compiler runs: typing a word is one update. */
const debounceMs = 40;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  example: $<HTMLSelectElement>('example'),
  network: $<HTMLSelectElement>('network'),
  shortcut: $<HTMLSelectElement>('shortcut'),
  seed: $<HTMLInputElement>('seed'),
  fuse: $<HTMLInputElement>('fuse'),
  share: $<HTMLButtonElement>('share'),
  banner: $<HTMLParagraphElement>('banner'),
  problems: $<HTMLDivElement>('problems'),
  problemCount: $<HTMLSpanElement>('problem-count'),
  summary: $<HTMLDivElement>('pane-summary'),
  onnx: $<HTMLDivElement>('pane-onnx'),
  graph: $<HTMLDivElement>('pane-graph'),
  run: $<HTMLDivElement>('pane-run'),
  runButton: Object.assign(document.createElement('button'), { type: 'button', className: 'button run', textContent: 'Run' }),
  status: $<HTMLElement>('status'),
  fileName: $<HTMLSpanElement>('file-name'),
  edited: $<HTMLSpanElement>('edited'),
};

/** What the page holds besides the editor's text. */
const page = {
  file: exampleFile(defaultExample),
  /** The example the text is, unchanged (for a short link). */
  example: defaultExample as string | undefined,
  options: { ...defaultOptions } as Options,
  /** The network the user picked; without it the file's first. */
  network: undefined as string | undefined,
  last: undefined as Analysis | undefined,
  /** The last summary of each network without errors, shown (marked stale) while it has some. */
  lastGood: new Map<string, Summary>(),
  /** Bumped at every change: a pane knows whether what it shows is current. */
  version: 0,
  onnxVersion: -1,
  /** What the graph pane shows: the version and depth it was drawn for. */
  graphKey: '',
};

for (const name of examples.keys()) ui.example.append(new Option(name, name));

const editor = createEditor($('editor'), examples.get(defaultExample) ?? '', onEdit);
const onnxWorker = new WorkerClient<Job, OnnxDone>(() => new Worker(new URL('./onnx-worker.ts', import.meta.url), { type: 'module' }));
const graphWorker = new WorkerClient<GraphJob, GraphDone>(() => new Worker(new URL('./graph-worker.ts', import.meta.url), { type: 'module' }));
const graphUi = graphControls(() => void refreshGraph());
const runWorker = new WorkerClient<Job, RunDone>(() => new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module' }));

function banner(message: string | undefined): void {
  ui.banner.hidden = message === undefined;
  ui.banner.textContent = message ?? '';
}

let timer: ReturnType<typeof setTimeout> | undefined;
function onEdit(): void {
  if (page.example !== undefined && editor.text() !== examples.get(page.example)) page.example = undefined;
  clearTimeout(timer);
  timer = setTimeout(update, debounceMs);
}

/** The compiler on the current text, and every pane that shows its result. */
function update(): void {
  clearTimeout(timer);
  page.version++;
  const t0 = performance.now();
  const text = editor.text();
  let a: Analysis;
  try {
    a = analyse(page.file, text, page.options);
  } catch (e) {
    // a compiler bug must not take the page down: say so, keep the last results
    ui.status.textContent = `internal compiler error (a bug in resdsl, please report it): ${(e as Error).message}`;
    return;
  }
  page.last = a;
  editor.setDiagnostics(lintDiagnostics(a.diagnostics, a.file, a.sources, text.length));
  renderProblems(ui.problems, a.diagnostics, a.file, a.sources, (at) => editor.goto(at));
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  ui.problemCount.textContent = a.diagnostics.length === 0 ? 'none' : `${errors} error${errors === 1 ? '' : 's'}, ${a.diagnostics.length - errors} other`;
  for (const s of a.summaries) page.lastGood.set(s.network, s);
  showNetworks(a);
  const t1 = performance.now();
  performance.measure('resdsl-update', { start: t0, end: t1 });
  ui.status.textContent = `${a.file}: checked in ${(t1 - t0).toFixed(1)} ms (compiler ${a.ms.toFixed(1)} ms)`;
  ui.fileName.textContent = page.file;
  ui.edited.hidden = page.example !== undefined || !page.file.startsWith('examples/');
  document.documentElement.dataset['version'] = String(page.version);
  saveFragment();
  if (!ui.onnx.hidden) void refreshOnnx();
  if (!ui.graph.hidden) void refreshGraph();
  if (!ui.run.hidden && ui.run.dataset['state'] !== 'running') renderRunIdle(ui.run, currentJob(), ui.runButton);
}

async function runNetwork(): Promise<void> {
  const job = currentJob();
  renderRunPending(ui.run, ui.runButton);
  renderRun(ui.run, job, ui.runButton, await runWorker.request(job));
}

/** The network picker and the summary of the chosen network (or its last good one, marked stale). */
function showNetworks(a: Analysis): void {
  const names = a.summaries.map((s) => s.network);
  if (page.network !== undefined && !names.includes(page.network) && !page.lastGood.has(page.network)) page.network = undefined;
  const chosen = page.network ?? names[0];
  const shown = [...new Set([...names, ...(chosen !== undefined ? [chosen] : [])])];
  if (shown.join('\n') !== [...ui.network.options].map((o) => o.value).join('\n')) ui.network.replaceChildren(...shown.map((n) => new Option(n, n)));
  if (chosen !== undefined) ui.network.value = chosen;
  ui.network.disabled = shown.length < 2;
  const fresh = a.summaries.find((s) => s.network === chosen);
  renderSummary(ui.summary, fresh ?? (chosen !== undefined ? page.lastGood.get(chosen) : undefined), !fresh && chosen !== undefined);
}

/** The job of the workers: `-n` only where the file has several networks, as on the command line. */
function currentJob(): Job {
  const several = page.network !== undefined || (page.last?.summaries.length ?? 0) > 1;
  const network = several ? (page.network ?? page.last?.summaries[0]?.network) : undefined;
  return { file: page.file, text: editor.text(), options: { ...page.options }, ...(network !== undefined ? { network } : {}) };
}

async function refreshOnnx(): Promise<void> {
  if (page.onnxVersion === page.version) return;
  page.onnxVersion = page.version;
  const job = currentJob();
  renderOnnxPending(ui.onnx, job);
  const r = await onnxWorker.request(job);
  renderOnnx(ui.onnx, r);
}

function pageState(): PageState {
  return { file: page.file, text: editor.text(), options: page.options, ...(page.example !== undefined ? { example: page.example } : {}), ...(page.network !== undefined ? { network: page.network } : {}) };
}

async function refreshGraph(): Promise<void> {
  const depth = graphUi.depth.value === 'blocks' ? 'blocks' : 'layers';
  const key = `${page.version}:${depth}`;
  if (page.graphKey === key) return;
  page.graphKey = key;
  const job: GraphJob = { ...currentJob(), depth };
  renderGraphPending(ui.graph, graphUi);
  renderGraph(ui.graph, graphUi, job, await graphWorker.request(job));
}

let fragmentTimer: ReturnType<typeof setTimeout> | undefined;
function saveFragment(): void {
  clearTimeout(fragmentTimer);
  fragmentTimer = setTimeout(async () => {
    const version = page.version;
    const hash = await encodeFragment(pageState());
    if (version !== page.version) return; // an edit came meanwhile: its own save follows
    if (hash !== location.hash) history.replaceState(null, '', hash);
    document.documentElement.dataset['savedVersion'] = String(version);
  }, 250);
}

/** Loads what the URL fragment says (at start, and when the user opens another link). */
async function loadFragment(): Promise<void> {
  const f = await parseFragment(location.hash);
  page.options = f.options;
  page.network = f.ok ? f.network : undefined;
  let example: string | undefined = f.ok && f.text === undefined ? (f.example ?? defaultExample) : undefined;
  if (example !== undefined && !examples.has(example)) {
    banner(`There is no example named ${JSON.stringify(example.slice(0, 80))}; showing ${defaultExample}.`);
    example = defaultExample;
  } else banner(f.ok ? undefined : `This link cannot be opened: ${f.message}. Showing ${defaultExample}.`);
  if (f.ok && f.text !== undefined) {
    page.example = undefined;
    page.file = f.file ?? 'playground.resdsl';
    editor.setText(f.text);
  } else {
    page.example = example ?? defaultExample;
    page.file = exampleFile(page.example);
    editor.setText(examples.get(page.example)!);
  }
  page.lastGood.clear();
  showOptions();
  update();
}

function showOptions(): void {
  ui.example.value = page.example ?? page.file.replace(/^examples\/(.*)\.resdsl$/, '$1');
  ui.shortcut.value = page.options.shortcut;
  ui.seed.value = String(page.options.seed);
  ui.fuse.checked = page.options.fuse;
}

ui.example.addEventListener('change', () => {
  page.example = ui.example.value;
  page.file = exampleFile(page.example);
  page.network = undefined;
  page.lastGood.clear();
  editor.setText(examples.get(page.example) ?? '');
  update();
});
ui.network.addEventListener('change', () => {
  page.network = ui.network.value;
  update();
});
ui.shortcut.addEventListener('change', () => {
  page.options.shortcut = ui.shortcut.value as Options['shortcut'];
  update();
});
ui.seed.addEventListener('change', () => {
  const seed = parseSeed(ui.seed.value);
  ui.seed.classList.toggle('invalid', seed === undefined);
  ui.seed.title = seed === undefined ? 'The seed is an integer from 0 to 4294967295' : '';
  if (seed === undefined) return;
  page.options.seed = seed;
  update();
});
ui.fuse.addEventListener('change', () => {
  page.options.fuse = ui.fuse.checked;
  update();
});
ui.share.addEventListener('click', async () => {
  clearTimeout(fragmentTimer);
  history.replaceState(null, '', await encodeFragment(pageState()));
  try {
    await navigator.clipboard.writeText(location.href);
    ui.status.textContent = 'Link copied: it holds the source and the options.';
  } catch {
    ui.status.textContent = 'The browser refused the clipboard: copy the address bar instead, it holds the source.';
  }
});
window.addEventListener('hashchange', () => void loadFragment());
ui.runButton.addEventListener('click', () => void runNetwork());

for (const tab of document.querySelectorAll<HTMLButtonElement>('[role=tab]')) {
  tab.addEventListener('click', () => {
    for (const t of document.querySelectorAll<HTMLButtonElement>('[role=tab]')) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      $(`pane-${t.dataset['tab']}`).hidden = !on;
    }
    if (tab.dataset['tab'] === 'onnx') void refreshOnnx();
    if (tab.dataset['tab'] === 'graph') void refreshGraph();
    if (tab.dataset['tab'] === 'run' && ui.run.dataset['state'] !== 'running') renderRunIdle(ui.run, currentJob(), ui.runButton);
  });
}

await loadFragment();
performance.mark('resdsl-ready');
document.documentElement.dataset['ready'] = '1';
