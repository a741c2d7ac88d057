/** `resdsl summary FILE [-n NETWORK] [--json]`: the per-layer table of a network, or the same data as JSON. */
import { hasErrors } from '../diagnostics/diagnostic.js';
import { checkFile } from '../node/compile.js';
import type { ShortcutPolicy } from '../passes/pass.js';
import { renderSummary, summarize } from '../report/summary.js';
import type { Io } from './io.js';
import type { Parsed } from './parse.js';
import { printDiagnostics } from './print-diagnostics.js';

export function summaryCommand(args: Parsed, io: Io): number {
  const network = args.string('network');
  const r = checkFile(
    args.positionals[0]!,
    {
      single: true,
      shortcut: args.choice<ShortcutPolicy>('shortcut'),
      ...(args.has('shortcut') ? { shortcutGiven: true } : {}),
      expectations: false,
      ...(network !== undefined ? { network } : {}),
    },
    'shortcut',
  );
  printDiagnostics(io, r.diagnostics, r.sources, args.int('max-errors'));
  if (hasErrors(r.diagnostics)) return 1;
  const s = summarize(r.networks[0]!.graph);
  io.out(args.flag('json') ? JSON.stringify(s, null, 2) : renderSummary(s));
  return 0;
}
