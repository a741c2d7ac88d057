/**
 * Loads a program: the root file and every file it reaches through `use`, each parsed once.
 * Relative uses resolve against the using file's folder; `use std/NAME` against the bundled
 * standard library (the package's `std/` folder). Missing files, folders, cycles and oversized
 * or non-UTF-8 files are diagnostics at the `use` that names them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { limits } from '../limits.js';
import type { FileAst, UseDecl } from '../parser/ast.js';
import { parseSource } from '../parser/parse.js';

export interface SourceFile {
  /** The name shown in messages: the path as the user named it, or `std/NAME.resdsl`. */
  name: string;
  absPath: string;
  text: string;
  ast: FileAst;
  /** Resolved `use`s: the files' absolute paths, in order, with the declaration. */
  uses: { decl: UseDecl; absPath: string }[];
}

export interface Program {
  root: SourceFile | undefined;
  files: Map<string, SourceFile>;
  /** Text by display name, for the diagnostics renderer. */
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** The bundled standard library folder (`std/` at the package root). */
export const stdDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../std');

type ReadResult = { text: string } | { code: 'E0501' | 'E0504' | 'E0005' | 'E0006'; message: string };

function readSource(absPath: string): ReadResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(absPath);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message);
    return { code: 'E0501', message: `cannot read ${absPath}: ${reason}` };
  }
  if (st.isDirectory()) return { code: 'E0504', message: `${absPath} is a directory, not a .resdsl file` };
  // a device or a pipe could block or never end: only regular files are read
  if (!st.isFile()) return { code: 'E0501', message: `cannot read ${absPath}: not a regular file` };
  if (st.size > limits.maxSourceBytes)
    return { code: 'E0005', message: `file is ${st.size} bytes, more than the limit of ${limits.maxSourceBytes}` };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absPath);
  } catch (e) {
    return { code: 'E0501', message: `cannot read ${absPath}: ${(e as Error).message}` };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { code: 'E0006', message: 'file is not valid UTF-8 text' };
  }
}

/** Parses one text as a root file (for tests and tools that hold the source in memory). */
export function loadProgram(rootPath: string, rootText?: string): Program {
  const prog: Program = { root: undefined, files: new Map(), sources: new Map(), diagnostics: [] };
  const rootAbs = path.resolve(rootPath);
  const read: ReadResult = rootText !== undefined ? { text: rootText } : readSource(rootAbs);
  if (!('text' in read)) {
    prog.diagnostics.push(error(read.code, read.message.replace(rootAbs, rootPath), { file: rootPath, start: 0, end: 0 }));
    return prog;
  }
  prog.root = addFile(prog, rootPath, rootAbs, read.text, []);
  return prog;
}

function addFile(prog: Program, name: string, absPath: string, text: string, stack: string[]): SourceFile {
  const { ast, diagnostics } = parseSource(text, name);
  const file: SourceFile = { name, absPath, text, ast, uses: [] };
  prog.files.set(absPath, file);
  prog.sources.set(name, text);
  for (const d of diagnostics) prog.diagnostics.push(d); // a loop: a spread of 100,000 items overflows the stack
  const chain = [...stack, absPath];
  for (const item of ast.items) {
    if (item.kind !== 'Use') continue;
    const target = resolveUse(prog, file, item, chain);
    if (target) file.uses.push({ decl: item, absPath: target });
  }
  return file;
}

function resolveUse(prog: Program, from: SourceFile, use: UseDecl, chain: string[]): string | undefined {
  const at: Span = use.pathSpan;
  let abs: string;
  let name: string;
  if (use.isStd) {
    if (!/^[a-z_][a-z0-9_]*$/.test(use.path)) {
      prog.diagnostics.push(error('E0502', `unknown standard library module std/${use.path}`, at, { help: stdHelp() }));
      return undefined;
    }
    abs = path.join(stdDir, `${use.path}.resdsl`);
    name = `std/${use.path}.resdsl`;
    if (!fs.existsSync(abs)) {
      prog.diagnostics.push(error('E0502', `unknown standard library module std/${use.path}`, at, { help: stdHelp() }));
      return undefined;
    }
  } else {
    abs = path.resolve(path.dirname(from.absPath), use.path);
    name = path.join(path.dirname(from.name), use.path);
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
  const read = readSource(abs);
  if (!('text' in read)) {
    prog.diagnostics.push(error(read.code, read.message.replace(abs, name), at));
    return undefined;
  }
  addFile(prog, name, abs, read.text, chain);
  return abs;
}

function stdHelp(): string {
  let mods: string[] = [];
  try {
    mods = fs.readdirSync(stdDir).filter((f) => f.endsWith('.resdsl')).map((f) => `std/${f.slice(0, -7)}`);
  } catch {
    /* no std folder: say nothing more */
  }
  return mods.length ? `the standard library has ${mods.sort().join(', ')}` : 'the standard library is missing from this installation';
}
