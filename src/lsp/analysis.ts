/**
 * One document analysed as the compiler sees it: the pipeline up to `expect` on the document's
 * text (the editor's buffer, not the file on disk), with every other open document read from its
 * buffer too; each network's IR after the shortcut pass; what every name means (names.ts refs) in
 * every file of the program; and indexes from source spans to IR nodes, for hovers. Never throws:
 * a compiler bug becomes one message at the top of the file.
 */
import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { checkNames, type NameRef } from '../ir/elaborate/names.js';
import { buildScopes, type FileScope } from '../ir/elaborate/scope.js';
import { graphStats, type LayerRow } from '../ir/stats.js';
import type { IrGraph, IrNode } from '../ir/types.js';
import { nodeHost } from '../node/host.js';
import * as T from '../parser/tokens.js';
import { runPipeline, type NetworkUnit } from '../pipeline/index.js';
import type { SourceHost } from '../program/host.js';
import type { Program, SourceFile } from '../program/load.js';

export interface Analysis {
  /** The document's path (the root of the program). */
  path: string;
  version: number;
  text: string;
  program: Program | undefined;
  networks: NetworkUnit[];
  diagnostics: Diagnostic[];
  /** What each name means, in every file of the program. */
  refs: NameRef[];
  /** Each file's scope (blocks and networks it sees), by path. */
  scopes: Map<string, FileScope>;
  /** A compiler bug met while analysing (its message), shown as a diagnostic at the top of the file. */
  internal?: string;
}

/** A host that reads open documents from the editor and everything else from disk. */
export function overlayHost(open: (path: string) => string | undefined): SourceHost {
  return {
    ...nodeHost,
    read(path, shown) {
      const text = open(path);
      return text !== undefined ? { text } : nodeHost.read(path, shown);
    },
  };
}

/** Runs the front end on a document. `open` gives the text of open documents by path. */
export function analyze(path: string, version: number, text: string, open: (path: string) => string | undefined): Analysis {
  const base: Analysis = { path, version, text, program: undefined, networks: [], diagnostics: [], refs: [], scopes: new Map() };
  try {
    const state = runPipeline(path, 'expect', { host: overlayHost(open), shortcut: 'B', expectations: true, text });
    const program = state.program;
    let refs: NameRef[] = [];
    let scopes = new Map<string, FileScope>();
    if (program !== undefined && program.root !== undefined) {
      const built = buildScopes(program);
      scopes = built.scopes;
      const files = [...program.files.values()].map((f) => ({ absPath: f.absPath, decls: f.ast.items.filter((i) => i.kind !== 'Use') as never[] }));
      refs = checkNames(files, scopes).refs;
    }
    return { ...base, program, networks: state.networks, diagnostics: state.diagnostics, refs, scopes };
  } catch (e) {
    const what = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return { ...base, internal: `internal error in the compiler (a bug, please report it): ${what}` };
  }
}

/** The source file of a program by the name spans use (the path as the user named it, or `std/NAME.resdsl`). */
export function fileByName(a: Analysis, name: string): SourceFile | undefined {
  if (a.program === undefined) return undefined;
  for (const f of a.program.files.values()) if (f.name === name) return f;
  return undefined;
}

export function rootFile(a: Analysis): SourceFile | undefined {
  return a.program?.root;
}

const spanKey = (s: Span) => `${s.file}\0${s.start}\0${s.end}`;

/** Where each IR node of a network came from: by the span written (a layer) and by call site (a block call). */
export interface IrIndex {
  graph: IrGraph;
  network: string;
  rows: Map<string, LayerRow>;
  bySpan: Map<string, IrNode[]>;
  byCall: Map<string, IrNode[]>;
  order: Map<string, number>;
}

const indexes = new WeakMap<NetworkUnit, IrIndex>();

/** The span indexes of a network, built on first use. */
export function irIndex(n: NetworkUnit): IrIndex {
  let ix = indexes.get(n);
  if (ix !== undefined) return ix;
  const bySpan = new Map<string, IrNode[]>();
  const byCall = new Map<string, IrNode[]>();
  const push = (m: Map<string, IrNode[]>, k: string, node: IrNode) => {
    const list = m.get(k);
    if (list) list.push(node);
    else m.set(k, [node]);
  };
  const order = new Map<string, number>();
  n.graph.nodes.forEach((node, i) => {
    order.set(node.name, i);
    push(bySpan, spanKey(node.span), node);
    for (const e of new Set(node.expansion)) push(byCall, spanKey(e), node);
  });
  const rows = new Map(graphStats(n.graph).layers.map((r) => [r.name, r]));
  ix = { graph: n.graph, network: n.name, rows, bySpan, byCall, order };
  indexes.set(n, ix);
  return ix;
}

export function nodesAt(ix: IrIndex, s: Span): IrNode[] {
  return ix.bySpan.get(spanKey(s)) ?? [];
}

export function nodesCalledAt(ix: IrIndex, s: Span): IrNode[] {
  return ix.byCall.get(spanKey(s)) ?? [];
}

/** The comments of a text (cached for the last few texts). */
const commentCache = new Map<string, IToken[]>();

export function commentsOf(text: string): IToken[] {
  let c = commentCache.get(text);
  if (c === undefined) {
    c = (T.lexer.tokenize(text).groups.comments ?? []) as IToken[];
    if (commentCache.size >= 16) commentCache.clear();
    commentCache.set(text, c);
  }
  return c;
}

/** The comment lines right above `offset` (no blank line between), without their `#`: a declaration's documentation. */
export function docComment(text: string, offset: number): string | undefined {
  const comments = commentsOf(text);
  const lines: string[] = [];
  let at = text.lastIndexOf('\n', offset - 1); // end of the line before the declaration
  for (let i = comments.length - 1; i >= 0 && at > 0; i--) {
    const c = comments[i]!;
    if (c.startOffset >= offset) continue;
    const lineStart = text.lastIndexOf('\n', c.startOffset - 1) + 1;
    const lineEnd = c.startOffset + c.image.length;
    // the comment must be alone on its line and end on the line just above
    if (text.slice(lineStart, c.startOffset).trim() !== '' || text.slice(lineEnd, at).trim() !== '') break;
    lines.unshift(c.image.replace(/^#\s?/, '').trimEnd());
    at = lineStart - 1;
  }
  return lines.length ? lines.join('\n') : undefined;
}
