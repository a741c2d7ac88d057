/**
 * The source's comments and line structure, as the layout reads them: a cursor over the comments
 * in source order (each is printed once, where the printer reaches it), whether a comment trails
 * code on its line or stands on a line of its own, and the line breaks and blank lines between
 * two places.
 */
import type { IToken } from 'chevrotain';
import { ownLine, trailing, type Doc } from './doc.js';

export class Comments {
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly comments: readonly IToken[],
    /** The other tokens, in source order. */
    private readonly tokens: readonly IToken[],
  ) {}

  /** A comment's text, without the spaces it ended with. */
  private textOf(c: IToken): string {
    return c.image.trimEnd();
  }

  /** Whether code stands before the comment on its line. */
  isTrailing(c: IToken): boolean {
    for (let i = c.startOffset - 1; i >= 0; i--) {
      const ch = this.text[i]!;
      if (ch === '\n') return false;
      if (ch !== ' ' && ch !== '\t' && ch !== '\r' && ch !== '\f' && ch !== '\v') return true;
    }
    return false;
  }

  /** The first comment not printed yet, if it starts before `offset`. */
  peekBefore(offset: number): IToken | undefined {
    const c = this.comments[this.next];
    return c !== undefined && c.startOffset < offset ? c : undefined;
  }

  /** Takes the comment peekBefore gave. */
  take(): IToken {
    return this.comments[this.next++]!;
  }

  /** Every comment before `offset`: trailing ones at the end of their line, the others on lines of their own. */
  before(offset: number): Doc[] {
    const out: Doc[] = [];
    for (let c = this.peekBefore(offset); c !== undefined; c = this.peekBefore(offset)) {
      this.take();
      out.push(this.isTrailing(c) ? trailing(this.textOf(c)) : ownLine(this.textOf(c)));
    }
    return out;
  }

  /** The comment right after `t` on its line, with no token between: it ends t's line. */
  after(t: IToken): Doc[] {
    const c = this.comments[this.next];
    if (c === undefined || c.startOffset < t.startOffset) return [];
    const end = t.startOffset + t.image.length;
    const nextToken = this.tokenAfter(end);
    if (nextToken !== undefined && nextToken.startOffset < c.startOffset) return [];
    if (this.text.slice(end, c.startOffset).includes('\n')) return [];
    this.take();
    return [trailing(this.textOf(c))];
  }

  /** An own-line comment as a printable piece, taking it. */
  ownLineDoc(c: IToken): Doc {
    return ownLine(this.textOf(c));
  }

  /** The first token starting at or after `offset`. */
  private tokenAfter(offset: number): IToken | undefined {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return this.tokens[lo];
  }

  /** Line breaks in the source between two offsets. */
  newlines(from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) if (this.text.charCodeAt(i) === 10) n++;
    return n;
  }
}
