/**
 * Reading chevrotain's concrete syntax tree: children are keyed by rule name (only CST nodes) or by
 * token type or label (only tokens), so the accessors need not filter by kind; tokens inserted by
 * error recovery are not real and are skipped. CstReader holds what every builder step needs: the
 * file, spans, and the diagnostics found while building.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import { span, type Span } from '../diagnostics/span.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export function isToken(el: CstElement): el is IToken {
  return 'tokenType' in el;
}

/**
 * A statement already turned into its AST while parsing (grammar.ts, `eagerStatements`): its CST
 * node keeps only its location, and `built` holds what cst-to-ast.ts made of it.
 */
export interface BuiltStatement extends CstNode {
  built: unknown;
}

export function isBuiltStatement(n: CstNode): n is BuiltStatement {
  return 'built' in n;
}

export function nodes(n: CstNode | undefined, key: string): CstNode[] {
  return (n?.children[key] ?? []) as CstNode[];
}

/** A real token: in the source, not inserted by error recovery. */
export const real = (t: IToken): boolean => Number.isFinite(t.startOffset) && t.isInsertedInRecovery !== true;

/** The tokens under `key` that are really in the source (not inserted by error recovery). */
export function toks(n: CstNode | undefined, key: string): IToken[] {
  const els = (n?.children[key] ?? []) as IToken[];
  return els.every(real) ? els : els.filter(real);
}

export const node = (n: CstNode | undefined, key: string): CstNode | undefined => n?.children[key]?.[0] as CstNode | undefined;
export function tok(n: CstNode | undefined, key: string): IToken | undefined {
  const els = n?.children[key] as IToken[] | undefined;
  if (els === undefined) return undefined;
  for (const t of els) if (real(t)) return t;
  return undefined;
}

export function unescape(image: string): string {
  const closed = image.length >= 2 && image.endsWith('"') && !/(^|[^\\])(\\\\)*\\"$/.test(image);
  const inner = image.slice(1, closed ? -1 : undefined);
  return inner.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

export abstract class CstReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(protected readonly file: string, protected readonly length: number) {}

  protected sp = (start: number, end: number): Span => span(this.file, start, end);
  protected tokSpan = (t: IToken): Span => this.sp(t.startOffset, t.startOffset + t.image.length);

  /** The span of a CST node: its location if known, else the extent of its real tokens. */
  protected nodeSpan(n: CstNode): Span {
    const loc = n.location;
    if (loc !== undefined && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset ?? NaN)) {
      return this.sp(loc.startOffset, (loc.endOffset ?? loc.startOffset) + 1);
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const els of Object.values(n.children)) {
      for (const el of els) {
        const s = isToken(el)
          ? Number.isFinite(el.startOffset) ? this.tokSpan(el) : undefined
          : this.nodeSpan(el);
        if (s !== undefined && s.end > s.start) {
          lo = Math.min(lo, s.start);
          hi = Math.max(hi, s.end);
        }
      }
    }
    return lo <= hi ? this.sp(lo, hi) : this.sp(this.length, this.length);
  }

  protected join = (a: Span, b: Span): Span => this.sp(Math.min(a.start, b.start), Math.max(a.end, b.end));

  protected ident(t: IToken | undefined): A.Ident | undefined {
    return t === undefined ? undefined : { kind: 'Ident', name: t.image, span: this.tokSpan(t) };
  }
}
