/**
 * `resdsl graph FILE [-n NETWORK] [-o OUT] [--format svg|dot] [--depth layers|blocks]`: a picture
 * of the network as written (src/graph), laid out by Graphviz compiled to WebAssembly, written
 * atomically (or to standard output).
 */
import { hasErrors } from '../diagnostics/diagnostic.js';
import { graphDot, dotToSvg, type Depth } from '../graph/index.js';
import { checkFile } from '../node/compile.js';
import type { ShortcutPolicy } from '../passes/pass.js';
import { CliError, type Io } from './io.js';
import { checkOutputPath } from './output-path.js';
import type { Parsed } from './parse.js';
import { printDiagnostics } from './print-diagnostics.js';
import { STDOUT, writeOrFail } from './write.js';

export async function graphCommand(args: Parsed, io: Io): Promise<number> {
  const file = args.positionals[0]!;
  const network = args.string('network');
  const out = args.string('out') ?? STDOUT;
  const format = args.has('format') ? args.choice<'svg' | 'dot'>('format') : out.endsWith('.dot') || out.endsWith('.gv') ? 'dot' : 'svg';
  if (out !== STDOUT) checkOutputPath(out, [file]);
  const r = checkFile(
    file,
    { single: true, shortcut: args.choice<ShortcutPolicy>('shortcut'), expectations: false, ...(network !== undefined ? { network } : {}) },
    'shortcut',
  );
  printDiagnostics(io, r.diagnostics, r.sources, args.int('max-errors'));
  if (hasErrors(r.diagnostics)) return 1;
  const dot = graphDot(r.networks[0]!.graph, args.choice<Depth>('depth'));
  let text = dot;
  if (format === 'svg') {
    const svg = await dotToSvg(dot);
    if (!svg.ok) throw new CliError(`Graphviz could not lay out the picture: ${svg.message}`);
    text = svg.svg;
  }
  if (out === STDOUT) io.out(text.replace(/\n$/, ''));
  else await writeOrFail([{ path: out, data: new TextEncoder().encode(text) }]);
  return 0;
}
