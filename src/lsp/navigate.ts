/**
 * Go to definition, find references and document symbols. Definitions come from what the name
 * check recorded (names.ts refs): a block or network (in any file, std included), a parameter, a
 * repetition index; a `use` goes to the file it names; `output y = label` to the label.
 * References gather every name meaning the same declaration, in the given analyses.
 */
import type { Span } from '../diagnostics/span.js';
import type { Meaning, NameRef } from '../ir/elaborate/names.js';
import type { FileAst, LayerStmt } from '../parser/ast.js';
import { rootFile, type Analysis } from './analysis.js';
import { nodesAt, labelledStatements, type Labelled } from './find.js';
import { contains } from './text.js';

/** A place in a file, by path. */
export interface Place {
  path: string;
  span: Span;
}

/** The path of the file a span is in (spans name files as the program loaded them). */
export function pathOfSpan(a: Analysis, s: Span): string | undefined {
  if (a.program === undefined) return undefined;
  for (const f of a.program.files.values()) if (f.name === s.file) return f.absPath;
  return undefined;
}

/** Where a meaning is declared; undefined for built-ins. */
export function declaredAt(a: Analysis, m: Meaning): Place | undefined {
  switch (m.kind) {
    case 'decl':
      return { path: m.ref.file.absPath, span: m.ref.decl.name.span };
    case 'param':
    case 'index': {
      const path = pathOfSpan(a, m.span);
      return path === undefined ? undefined : { path, span: m.span };
    }
    default:
      return undefined;
  }
}

/** An identity for a declared thing, to match references across analyses (which share no objects). */
export function meaningKey(a: Analysis, m: Meaning): string | undefined {
  const at = declaredAt(a, m);
  return at === undefined ? undefined : `${m.kind === 'decl' ? 'decl' : m.kind}\0${at.path}\0${at.span.start}`;
}

function refAt(a: Analysis, offset: number): NameRef | undefined {
  const root = rootFile(a);
  if (root === undefined) return undefined;
  return a.refs.find((r) => r.span.file === root.name && contains(r.span, offset));
}

/** What the symbol at `offset` is, as a key: a name's meaning, or a declaration's own name. */
export function symbolKeyAt(a: Analysis, offset: number): string | undefined {
  const r = refAt(a, offset);
  if (r !== undefined) return meaningKey(a, r.meaning);
  const root = rootFile(a);
  if (root === undefined) return undefined;
  const chain = nodesAt(root.ast, offset);
  const inner = chain[chain.length - 1];
  const parent = chain[chain.length - 2]?.node;
  if (inner?.node.kind !== 'Ident' || parent === undefined) return undefined;
  if ((parent.kind === 'Block' || parent.kind === 'Network') && inner.field === 'name') return `decl\0${root.absPath}\0${inner.node.span.start}`;
  if (parent.kind === 'Param' && inner.field === 'name') return `param\0${root.absPath}\0${inner.node.span.start}`;
  if (parent.kind === 'Repeat' && inner.field === 'index') return `index\0${root.absPath}\0${inner.node.span.start}`;
  return undefined;
}

export function definition(a: Analysis, offset: number): Place | undefined {
  const root = rootFile(a);
  if (root === undefined) return undefined;
  const r = refAt(a, offset);
  if (r !== undefined) return declaredAt(a, r.meaning);
  for (const u of root.uses) if (contains(u.decl.pathSpan, offset)) return { path: u.absPath, span: { file: '', start: 0, end: 0 } };
  const chain = nodesAt(root.ast, offset);
  const inner = chain[chain.length - 1];
  const parent = chain[chain.length - 2]?.node;
  if (inner?.node.kind === 'Ident' && parent?.kind === 'Output' && inner.field === 'source') {
    const name = (inner.node as { name?: string }).name;
    const net = chain.find((c) => c.node.kind === 'Network')?.node as { body?: unknown[] } | undefined;
    const stmt = labelledStatements(net?.body ?? []).find((l) => l.stmt.label?.kind === 'Ident' && l.stmt.label.name === name);
    if (stmt) return { path: root.absPath, span: stmt.stmt.label!.span };
  }
  return undefined;
}

/** Every place in the analyses that means `key`, with the declaration itself if asked. */
export function references(analyses: readonly Analysis[], key: string, withDeclaration: boolean): Place[] {
  const seen = new Set<string>();
  const out: Place[] = [];
  const add = (p: Place) => {
    const k = `${p.path}\0${p.span.start}\0${p.span.end}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(p);
  };
  for (const a of analyses) {
    for (const r of a.refs) {
      if (meaningKey(a, r.meaning) !== key) continue;
      const path = pathOfSpan(a, r.span);
      if (path !== undefined) add({ path, span: r.span });
      if (withDeclaration) {
        const d = declaredAt(a, r.meaning);
        if (d) add(d);
      }
    }
  }
  if (withDeclaration) {
    const [, path, start] = key.split('\0');
    for (const a of analyses) {
      const f = a.program && [...a.program.files.values()].find((x) => x.absPath === path);
      const item = f?.ast.items.find((i) => i.kind !== 'Use' && i.name.span.start === Number(start));
      if (f && item && item.kind !== 'Use') add({ path: f.absPath, span: item.name.span });
    }
  }
  return out;
}

export interface SymbolInfo {
  name: string;
  detail: string;
  kind: 'block' | 'network' | 'stage';
  span: Span;
  nameSpan: Span;
  children: SymbolInfo[];
}

/** Blocks, networks and their labelled stages, nested. */
export function documentSymbols(ast: FileAst, text: string): SymbolInfo[] {
  const stage = (l: Labelled): SymbolInfo => ({
    name: text.slice(l.stmt.label!.span.start, l.stmt.label!.span.end),
    detail: termSummary(l.stmt, text),
    kind: 'stage',
    span: l.stmt.span,
    nameSpan: l.stmt.label!.span,
    children: l.children.map(stage),
  });
  const out: SymbolInfo[] = [];
  for (const item of ast.items) {
    if (item.kind === 'Use') continue;
    const params = item.params.map((p) => p.name.name).join(', ');
    out.push({
      name: item.name.name,
      detail: item.kind === 'Network' && item.base ? `= ${item.base.callee.name}(...)` : item.params.length || item.kind === 'Block' ? `(${params})` : '',
      kind: item.kind === 'Block' ? 'block' : 'network',
      span: item.span,
      nameSpan: item.name.span,
      children: labelledStatements(item.body).map(stage),
    });
  }
  return out;
}

function termSummary(s: LayerStmt, text: string): string {
  const t = s.term;
  const src = text.slice(t.span.start, t.span.end).replace(/\s+/g, ' ');
  return src.length > 60 ? `${src.slice(0, 57)}...` : src;
}
