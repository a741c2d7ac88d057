/**
 * What the page shows as you type: the front of the pipeline on the edited file (what `resdsl
 * check` runs: parse, elaborate, shortcut, expect) with its diagnostics, and each network's
 * summary (what `resdsl summary` prints). Runs on the page's thread: it is the 150 ms path.
 */
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { frontEnd } from '../../src/pipeline/index.js';
import { summarize, type Summary } from '../../src/report/summary.js';
import type { Options } from './options.js';
import { host } from './sources.js';

export interface Analysis {
  file: string;
  diagnostics: Diagnostic[];
  /** Source texts by display name (the edited file and what it uses), to place diagnostics. */
  sources: Map<string, string>;
  /** The networks that came through without errors, in file order. */
  summaries: Summary[];
  /** How long the analysis took, in ms. */
  ms: number;
}

export function analyse(file: string, text: string, opts: Options): Analysis {
  const t0 = performance.now();
  const r = frontEnd(file, { host, text, shortcut: opts.shortcut, expectations: true }, 'expect');
  const summaries = r.networks.map((n) => summarize(n.graph));
  return { file, diagnostics: r.diagnostics, sources: r.sources, summaries, ms: performance.now() - t0 };
}
