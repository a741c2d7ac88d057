/**
 * What is at an offset of a file's syntax tree: the chain of nodes whose spans hold it, innermost
 * last, each with the field of its parent it sits in (`callee`, `name`, `label`...), so that a
 * feature can tell a block's name in its definition from the same name in a call.
 */
import type { Span } from '../diagnostics/span.js';
import type { BlockDecl, FileAst, LayerStmt, NetworkDecl } from '../parser/ast.js';
import { contains } from './text.js';

export interface Found {
  node: { kind: string; span: Span } & Record<string, unknown>;
  /** The field of the parent holding it ('' for the file). */
  field: string;
}

const isNode = (v: unknown): v is Found['node'] =>
  typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && typeof (v as { span?: unknown }).span === 'object';

/** The nodes at `offset`, outermost first. Bounded by the parser's nesting limits. */
export function nodesAt(ast: FileAst, offset: number): Found[] {
  const out: Found[] = [];
  const visit = (v: unknown, field: string): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x, field);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (isNode(v)) {
      if (!contains(v.span, offset)) return;
      out.push({ node: v, field });
    }
    for (const [k, x] of Object.entries(v)) if (k !== 'span' && typeof x === 'object') visit(x, k);
  };
  visit(ast, '');
  return out;
}

/** The block or network whose span holds `offset`. */
export function declAt(ast: FileAst, offset: number): BlockDecl | NetworkDecl | undefined {
  for (const item of ast.items) if (item.kind !== 'Use' && contains(item.span, offset)) return item;
  return undefined;
}

/** Every labelled statement under a declaration, with its nesting (for document symbols). */
export interface Labelled {
  stmt: LayerStmt;
  children: Labelled[];
}

export function labelledStatements(items: readonly unknown[]): Labelled[] {
  const out: Labelled[] = [];
  const visit = (v: unknown, into: Labelled[]): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x, into);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const node = v as Record<string, unknown>;
    if (node.kind === 'Layer' && node.label !== undefined) {
      const entry: Labelled = { stmt: node as unknown as LayerStmt, children: [] };
      into.push(entry);
      visit(node.term, entry.children);
      if (node.when !== undefined) visit(node.when, entry.children);
      return;
    }
    for (const [k, x] of Object.entries(node)) if (k !== 'span' && typeof x === 'object') visit(x, into);
  };
  visit(items, out);
  return out;
}
