/** Expanding the FILES... of `resdsl check`: files as given, folders searched for *.resdsl (sorted, skipping node_modules and dot-folders). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from './io.js';

export function expandFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    let st: fs.Stats;
    try {
      st = fs.statSync(a);
    } catch {
      throw new CliError(`resdsl: cannot read ${a}: no such file or folder`);
    }
    if (st.isDirectory()) out.push(...walk(a));
    else out.push(a);
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && e.name.endsWith('.resdsl')) out.push(p);
  }
  return out;
}
