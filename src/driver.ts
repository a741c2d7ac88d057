/**
 * The front half of every command, as a library: load a file and what it uses, elaborate its
 * networks, resolve shortcuts by policy, and check `expect` lines. The CLI and the tests call this.
 */
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { elaborateProgram, type ElaboratedNetwork } from './ir/elaborate/index.js';
import { checkExpectations } from './ir/expect.js';
import { graphTotals, type GraphStats } from './ir/stats.js';
import type { IrGraph } from './ir/types.js';
import { shortcutPass } from './passes/shortcut.js';
import type { ShortcutPolicy } from './passes/pass.js';
import { loadProgram } from './program/load.js';

export interface FrontEndOptions {
  network?: string;
  /** Require exactly one network when `network` is not given (summary, compile, run). */
  single?: boolean;
  shortcut?: ShortcutPolicy;
  /** The root file's text, when it is not to be read from disk. */
  text?: string;
  /** Check `expect` lines (default true; `check` is where they matter, summary and compile skip them). */
  expectations?: boolean;
}

export interface CheckedNetwork {
  name: string;
  /** The graph as elaborated: shortcuts unresolved. */
  elaborated: IrGraph;
  /** Shortcuts resolved by policy. */
  graph: IrGraph;
  stats: Omit<GraphStats, 'layers'>;
  net: ElaboratedNetwork;
}

export interface FrontEndResult {
  networks: CheckedNetwork[];
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

export function frontEnd(file: string, opts: FrontEndOptions = {}): FrontEndResult {
  const prog = loadProgram(file, opts.text);
  const elab = elaborateProgram(prog, {
    ...(opts.network !== undefined ? { network: opts.network } : {}),
    ...(opts.single ? { single: true } : {}),
  });
  const diagnostics = [...elab.diagnostics];
  const networks: CheckedNetwork[] = [];
  for (const net of elab.networks) {
    const r = shortcutPass.run(net.graph, { shortcut: opts.shortcut ?? 'B' });
    for (const d of r.diagnostics) diagnostics.push(d); // loops: a spread of 100,000 items overflows the stack
    if (r.diagnostics.length) continue;
    const stats = graphTotals(r.graph);
    if (opts.expectations !== false) for (const d of checkExpectations(r.graph, stats, net.expects)) diagnostics.push(d);
    networks.push({ name: net.name, elaborated: net.graph, graph: r.graph, stats, net });
  }
  return { networks, diagnostics, sources: prog.sources };
}
