/**
 * The workspace's other files, for find-references: every `.resdsl` file under the workspace
 * folders (not node_modules nor dot-folders; at most maxFiles), each loaded with what it uses and
 * its names resolved (no elaboration: references need only names), cached by modification time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNames } from '../ir/elaborate/names.js';
import { buildScopes } from '../ir/elaborate/scope.js';
import { loadProgram } from '../program/load.js';
import { overlayHost, type Analysis } from './analysis.js';

export const maxFiles = 2000;

const cache = new Map<string, { mtime: number; analysis: Analysis }>();

function list(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (out.length >= maxFiles) return;
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) list(p, out);
    else if (e.isFile() && e.name.endsWith('.resdsl')) out.push(p);
  }
}

/** Name analyses of the workspace's files other than `skip` (the open ones, analysed already). */
export function workspaceAnalyses(roots: readonly string[], skip: ReadonlySet<string>, open: (p: string) => string | undefined): Analysis[] {
  const files: string[] = [];
  for (const r of roots) list(r, files);
  const out: Analysis[] = [];
  for (const f of files) {
    if (skip.has(f)) continue;
    let mtime: number;
    try {
      mtime = fs.statSync(f).mtimeMs;
    } catch {
      continue;
    }
    const hit = cache.get(f);
    if (hit !== undefined && hit.mtime === mtime) {
      out.push(hit.analysis);
      continue;
    }
    const program = loadProgram(overlayHost(open), f);
    const { scopes } = buildScopes(program);
    const decls = [...program.files.values()].map((x) => ({ absPath: x.absPath, decls: x.ast.items.filter((i) => i.kind !== 'Use') as never[] }));
    const refs = program.root ? checkNames(decls, scopes).refs : [];
    const analysis: Analysis = { path: f, version: -1, text: program.root?.text ?? '', program, networks: [], diagnostics: [], refs, scopes };
    cache.set(f, { mtime, analysis });
    out.push(analysis);
  }
  return out;
}
