/** `resdsl check FILES... [--format text|json|github] [--shortcut A|B|C]`: exit 0 when clean, 1 with diagnostics. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderGithub, renderText, toJson } from '../diagnostics/render.js';
import { checkFile } from '../node/compile.js';
import { oneOf, parse } from './args.js';
import { expandFiles } from './files.js';
import { UsageError, type Io } from './io.js';
import { checkUsage } from './usage.js';

export function checkCommand(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, { format: { type: 'string' }, shortcut: { type: 'string' } });
  const format = oneOf('--format', values.format, ['text', 'json', 'github'] as const, 'text');
  const shortcut = oneOf('--shortcut', values.shortcut, ['A', 'B', 'C'] as const, 'B');
  if (positionals.length === 0) throw new UsageError(`no files to check\n${checkUsage}`);
  const files = expandFiles(positionals);
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const networks: { file: string; network: string; params: number; macs: number; outputs: string[] }[] = [];
  for (const file of files) {
    const r = checkFile(file, { shortcut });
    for (const [k, v] of r.sources) sources.set(k, v);
    for (const d of r.diagnostics) diagnostics.push(d); // a loop: a spread of 100,000 items overflows the stack
    for (const n of r.networks)
      networks.push({ file, network: n.name, params: n.stats!.params, macs: n.stats!.macs, outputs: n.graph.outputs.map((o) => o.name) });
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (format === 'json') {
    io.out(JSON.stringify({ files: files.length, networks, errors, diagnostics: diagnostics.map((d) => toJson(d, sources)) }, null, 2));
  } else if (format === 'github') {
    if (diagnostics.length) io.out(renderGithub(diagnostics, sources));
  } else {
    if (diagnostics.length) io.err(`${renderText(diagnostics, sources)}\n`);
    const what = `${files.length} file${files.length === 1 ? '' : 's'}, ${networks.length} network${networks.length === 1 ? '' : 's'}`;
    io.err(errors ? `checked ${what}: ${errors} error${errors === 1 ? '' : 's'}` : `checked ${what}: ok`);
  }
  return errors ? 1 : 0;
}
