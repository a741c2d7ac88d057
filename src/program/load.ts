/**
 * Loads a program: the root file and every file it reaches through `use`, each parsed once.
 * Relative uses resolve against the using file's folder; `use std/NAME` against the bundled
 * standard library; both through the SourceHost, so that the core reads no file itself. Missing
 * files, folders, cycles and oversized or non-UTF-8 files are diagnostics at the `use` that names
 * them (or about the root file).
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { limits } from '../limits.js';
import type { FileAst, UseDecl } from '../parser/ast.js';
import { parseSource } from '../parser/parse.js';
import { closest } from '../util/closest.js';
import { dirname, join } from '../util/paths.js';
import type { SourceHost } from './host.js';

export interface SourceFile {
  /** The name shown in messages: the path as the user named it, or `std/NAME.resdsl`. */
  name: string;
  /** The path the host knows it by (absolute for the file system). */
  absPath: string;
  text: string;
  ast: FileAst;
  /** Resolved `use`s: the files' paths, in order, with the declaration. */
  uses: { decl: UseDecl; absPath: string }[];
}

export interface Program {
  root: SourceFile | undefined;
  files: Map<string, SourceFile>;
  /** Text by display name, for the diagnostics renderer. */
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** Reads the root file (or takes its text when the caller holds it), then parses it and what it uses. */
export function loadProgram(host: SourceHost, rootPath: string, rootText?: string): Program {
  const prog: Program = { root: undefined, files: new Map(), sources: new Map(), diagnostics: [] };
  const rootAbs = host.resolve('./', rootPath);
  const read = rootText !== undefined ? { text: rootText } : host.read(rootAbs, rootPath);
  if (!('text' in read)) {
    prog.diagnostics.push(error(read.code, read.message, rootPath));
    return prog;
  }
  prog.root = addFile(prog, host, rootPath, rootAbs, read.text, []);
  return prog;
}

function addFile(prog: Program, host: SourceHost, name: string, absPath: string, text: string, stack: string[]): SourceFile {
  const { ast, diagnostics } = parseSource(text, name);
  const file: SourceFile = { name, absPath, text, ast, uses: [] };
  prog.files.set(absPath, file);
  prog.sources.set(name, text);
  for (const d of diagnostics) prog.diagnostics.push(d); // a loop: a spread of 100,000 items overflows the stack
  const chain = [...stack, absPath];
  for (const item of ast.items) {
    if (item.kind !== 'Use') continue;
    const target = resolveUse(prog, host, file, item, chain);
    if (target) file.uses.push({ decl: item, absPath: target });
  }
  return file;
}

function resolveUse(prog: Program, host: SourceHost, from: SourceFile, use: UseDecl, chain: string[]): string | undefined {
  const at: Span = use.pathSpan;
  let abs: string | undefined;
  let name: string;
  if (use.isStd) {
    abs = /^[a-z_][a-z0-9_]*$/.test(use.path) ? host.stdPath(use.path) : undefined;
    name = `std/${use.path}.resdsl`;
    if (abs === undefined) {
      const mods = host.stdModules().map((m) => `std/${m}`);
      const near = closest(`std/${use.path}`, mods);
      const help = near ? `a module with a similar name exists: ${near}` : mods.length ? `the standard library has ${mods.join(', ')}` : 'the standard library is missing from this installation';
      prog.diagnostics.push(error('E0502', `unknown standard library module std/${use.path}`, at, { help }));
      return undefined;
    }
  } else {
    abs = host.resolve(from.absPath, use.path);
    name = join(dirname(from.name), use.path);
  }
  if (chain.includes(abs)) {
    const cycle = [...chain.slice(chain.indexOf(abs)), abs].map((p) => prog.files.get(p)?.name ?? p);
    prog.diagnostics.push(error('E0503', 'this use closes a cycle of files', at, { notes: [`cycle: ${cycle.join(' -> ')}`] }));
    return undefined;
  }
  if (prog.files.has(abs)) return abs;
  if (prog.files.size >= limits.maxFiles) {
    prog.diagnostics.push(error('E0501', `more than ${limits.maxFiles} files are used`, at));
    return undefined;
  }
  const read = host.read(abs, name);
  if (!('text' in read)) {
    prog.diagnostics.push(error(read.code, read.message, at));
    return undefined;
  }
  addFile(prog, host, name, abs, read.text, chain);
  return abs;
}
