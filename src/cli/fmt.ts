/**
 * `resdsl fmt FILES_OR_FOLDERS... [--check] [--stdout]`: the one canonical layout (src/fmt), with
 * no options but what to do with the result: rewrite the files that change (atomically), list
 * them and exit 1 (`--check`, for CI), or print the formatted text. A file with syntax errors is
 * left as it is and its errors are shown (exit 1).
 */
import * as path from 'node:path';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatSource } from '../fmt/index.js';
import { readSourceFile } from '../node/host.js';
import { expandFiles } from './files.js';
import type { Io } from './io.js';
import type { Parsed } from './parse.js';
import { printDiagnostics } from './print-diagnostics.js';
import { writeOrFail } from './write.js';

export async function fmtCommand(args: Parsed, io: Io): Promise<number> {
  const check = args.flag('check');
  const toStdout = args.flag('stdout');
  const files = expandFiles(args.positionals);
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const changed: string[] = [];
  let failed = false;
  for (const file of files) {
    const read = readSourceFile(path.resolve(io.cwd, file), file);
    if (!('text' in read)) {
      diagnostics.push(error(read.code, read.message, file));
      failed = true;
      continue;
    }
    sources.set(file, read.text);
    const r = formatSource(read.text, file);
    if (!r.ok) {
      for (const d of r.diagnostics) diagnostics.push(d);
      failed = true;
      continue;
    }
    if (toStdout) io.out(r.text.replace(/\n$/, ''));
    if (r.text === read.text) continue;
    changed.push(file);
    if (!check && !toStdout) await writeOrFail([{ path: file, data: new TextEncoder().encode(r.text) }]);
  }
  printDiagnostics(io, diagnostics, sources, args.int('max-errors'));
  if (check) {
    for (const f of changed) io.out(f);
    if (changed.length) io.err(`${changed.length} of ${files.length} file${files.length === 1 ? '' : 's'} would be reformatted`);
    return changed.length || failed ? 1 : 0;
  }
  if (!toStdout) io.err(`formatted ${files.length} file${files.length === 1 ? '' : 's'}${changed.length ? `, rewrote ${changed.length}` : ', all already formatted'}${failed ? `; ${diagnostics.length} could not be formatted` : ''}`);
  return failed ? 1 : 0;
}
