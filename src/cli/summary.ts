/** `resdsl summary FILE [-n NETWORK] [--json] [--shortcut A|B|C]`: the per-layer table, or the same data as JSON. */
import { renderText } from '../diagnostics/render.js';
import { checkFile } from '../node/compile.js';
import { renderSummary, summarize } from '../report/summary.js';
import { oneOf, parse, str } from './args.js';
import { UsageError, type Io } from './io.js';
import { summaryUsage } from './usage.js';

export function summaryCommand(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, {
    network: { type: 'string', short: 'n' },
    json: { type: 'boolean' },
    shortcut: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(`summary takes one file\n${summaryUsage}`);
  const shortcut = oneOf('--shortcut', values.shortcut, ['A', 'B', 'C'] as const, 'B');
  const network = str(values.network);
  const r = checkFile(positionals[0]!, { single: true, shortcut, expectations: false, ...(network !== undefined ? { network } : {}) }, 'shortcut');
  if (r.diagnostics.length) {
    io.err(renderText(r.diagnostics, r.sources));
    if (r.diagnostics.some((d) => d.severity === 'error')) return 1;
  }
  const s = summarize(r.networks[0]!.graph);
  io.out(values.json ? JSON.stringify(s, null, 2) : renderSummary(s));
  return 0;
}
