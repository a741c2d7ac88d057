/**
 * Expanding the FILES_OR_FOLDERS... of `resdsl check`: files as given, folders searched for
 * *.resdsl (sorted, skipping node_modules and dot-folders). A folder without any .resdsl file is
 * an error: checking nothing is never "ok". Anything else (a missing path too) is a file, for the
 * front end to read and report in the one form every command uses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cannotRead } from '../node/host.js';
import { CliError } from './io.js';

export function expandFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(a);
    } catch {
      st = undefined;
    }
    if (!st?.isDirectory()) {
      out.push(a);
      continue;
    }
    const found = walk(a);
    if (found.length === 0) throw new CliError(`no .resdsl files in ${a}: nothing to check`);
    for (const f of found) out.push(f);
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  let listed: fs.Dirent[];
  try {
    listed = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new CliError(cannotRead(dir, e));
  }
  const entries = listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && e.name.endsWith('.resdsl')) out.push(p);
  }
  return out;
}
