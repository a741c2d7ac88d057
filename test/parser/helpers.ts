/** Shared helpers of the parser tests. */
import { expect } from 'vitest';
import { parseSource } from '../../src/parser/parse.js';
import type * as A from '../../src/parser/ast.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

export const FILE = 't.resdsl';

/** Parse and require that there is no diagnostic. */
export function parseOk(src: string): A.FileAst {
  const r = parseSource(src, FILE);
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.ast;
}

/** Parse and return the diagnostics only. */
export function diagsOf(src: string): Diagnostic[] {
  return parseSource(src, FILE).diagnostics;
}

/** A copy without spans, for comparing shapes. */
export function noSpans(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(noSpans);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!/span$/i.test(k)) out[k] = noSpans(x);
    return out;
  }
  return v;
}

/** The statements of the first block of a file (parsed without diagnostics). */
export function blockBody(src: string): A.Stmt[] {
  const item = parseOk(src).items[0];
  if (item?.kind !== 'Block') throw new Error('expected a block');
  return item.body;
}

/** The term of the only layer of `block b(a) <LAYER>`-style sources written as `block b(a) = TEXT`. */
export function layerOf(text: string): A.Term {
  const [s] = blockBody(`block b(a) = ${text}`);
  if (s?.kind !== 'Layer') throw new Error('expected a layer');
  return s.term;
}

/** The expression of `block b(a = EXPR) relu`. */
export function exprOf(text: string): A.Expr {
  const item = parseOk(`block b(a = ${text}) relu`).items[0];
  if (item?.kind !== 'Block' || item.params[0]?.default === undefined) throw new Error('expected a default');
  return item.params[0].default;
}

/** Line (1-based) of an offset. */
export function lineOf(src: string, offset: number): number {
  return src.slice(0, offset).split('\n').length;
}

/** Every node with a span in an AST, depth first. */
export function* walk(v: unknown): Generator<{ kind?: string; span: { file: string; start: number; end: number } } & Record<string, unknown>> {
  if (Array.isArray(v)) {
    for (const x of v) yield* walk(x);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const sp = o.span as { file: string; start: number; end: number } | undefined;
    if (sp !== undefined) yield { ...o, span: sp };
    for (const [k, x] of Object.entries(o)) if (k !== 'span') yield* walk(x);
  }
}
