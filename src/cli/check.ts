/** `resdsl check FILES_OR_FOLDERS...`: every file's blocks and networks checked; exit 0 when clean, 1 with errors. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkFile, declarationKey } from '../node/compile.js';
import type { ShortcutPolicy } from '../passes/pass.js';
import { expandFiles } from './files.js';
import type { Io } from './io.js';
import type { Parsed } from './parse.js';
import { githubDiagnostics, jsonDiagnostics, printDiagnostics } from './print-diagnostics.js';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function checkCommand(args: Parsed, io: Io): number {
  const format = args.choice<'text' | 'json' | 'github'>('format');
  const shortcut = args.choice<ShortcutPolicy>('shortcut');
  const maxErrors = args.int('max-errors');
  const files = expandFiles(args.positionals);
  const sources = new Map<string, string>();
  const found: Diagnostic[] = [];
  const networks: { file: string; network: string; params: number; macs: number; outputs: string[] }[] = [];
  const declared = { blocks: 0, generic: 0, networks: 0 };
  const basesUsed = new Set<string>();
  for (const file of files) {
    const r = checkFile(file, { shortcut, ...(args.has('shortcut') ? { shortcutGiven: true } : {}) });
    for (const [k, v] of r.sources) sources.set(k, v);
    declared.blocks += r.declared.blocks;
    declared.generic += r.declared.generic;
    declared.networks += r.declared.networks;
    for (const b of r.declared.basesUsed) basesUsed.add(b);
    for (const d of r.diagnostics) found.push(d); // a loop: a spread of 100,000 items overflows the stack
    for (const n of r.networks)
      networks.push({ file, network: n.name, params: n.stats!.params, macs: n.stats!.macs, outputs: n.graph.outputs.map((o) => o.name) });
  }
  // a generic network that another of the files checked defines a network from is not unused (N0001 is per file)
  const diagnostics = found.filter((d) => d.code !== 'N0001' || d.span === undefined || !basesUsed.has(declarationKey(d.span)));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (format === 'json') {
    io.out(JSON.stringify({ files: files.length, blocks: declared.blocks, generic: declared.generic, networks, errors, warnings, ...jsonDiagnostics(diagnostics, sources, maxErrors) }, null, 2));
  } else if (format === 'github') {
    if (diagnostics.length) io.out(githubDiagnostics(diagnostics, sources, maxErrors));
  } else {
    printDiagnostics(io, diagnostics, sources, maxErrors);
    if (diagnostics.length) io.err('');
    // blocks and generic networks are checked for names, calls and arguments; networks for shapes and counts too
    const what = [
      plural(files.length, 'file'),
      ...(declared.blocks ? [plural(declared.blocks, 'block')] : []),
      ...(declared.generic ? [plural(declared.generic, 'generic network')] : []),
      plural(declared.networks, 'network'),
    ].join(', ');
    const found = [...(errors ? [plural(errors, 'error')] : []), ...(warnings ? [plural(warnings, 'warning')] : [])];
    io.err(`checked ${what}: ${found.length ? found.join(', ') : 'ok'}`);
  }
  return errors ? 1 : 0;
}
