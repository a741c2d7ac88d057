/**
 * The canonical layout of resdsl: the concrete syntax tree (every token, in source order) to a
 * document for doc.ts to print. Every token of the source is printed as written, in its order,
 * except two kinds the grammar makes optional, which the layout decides: `;` between statements
 * and path items (a line break or `; ` on one line), and a trailing `,` in a list (dropped). So
 * the formatted file parses to the same tree; test/fmt checks that it elaborates to the same IR.
 *
 * The rules, where the source leaves a choice:
 *  - statements and path items written on one line stay on one line, joined by `; `, filling
 *    further lines where they do not fit. Those on separate lines stay on separate lines, with at
 *    most one blank line kept between them (as between items of the file);
 *  - a path written on one line stays on one line if it fits, else opens with `<` and fills the
 *    lines below with its items; one written over several lines keeps its lines; a path of one
 *    item hugs it;
 *  - parameter and argument lists fill their lines and wrap under their first item;
 *  - a block's body layer follows its header if it fits there, else goes on the next line;
 *  - one space around binary operators, `=`, `==`, `:` after labels; none inside brackets.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { Comments } from './comments.js';
import { align, fill, group, hang, hardline, ifBreak, indent, join, line, softline, type Doc } from './doc.js';

type El = CstElement;

const isToken = (el: El): el is IToken => 'tokenType' in el;
const startOf = (el: El): number => (isToken(el) ? el.startOffset : el.location!.startOffset);
const endOf = (el: El): number => (isToken(el) ? el.startOffset + el.image.length : el.location!.endOffset! + 1);

function nodes(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

function toks(n: CstNode, key: string): IToken[] {
  return (n.children[key] ?? []).filter(isToken);
}

/** A node's children, tokens and nodes, in source order. */
function ordered(n: CstNode): El[] {
  const all: El[] = [];
  for (const els of Object.values(n.children)) for (const el of els) all.push(el);
  return all.sort((a, b) => startOf(a) - startOf(b));
}

/** An item of a sequence (a statement, a path item, an item of the file) and how to print it. */
interface Entry {
  el: El;
  print: () => Doc;
}

/** A statement `expect params == e`: a `<` after it would continue e as a comparison. */
function endsInExpression(el: El): boolean {
  if (isToken(el) || el.name !== 'stmt') return false;
  const e = node(el, 'expectStmt');
  return e !== undefined && node(e, 'expr') !== undefined;
}

/** A statement or item whose first token is `<`. */
function startsWithPath(el: El): boolean {
  let n: El = el;
  while (!isToken(n)) n = ordered(n)[0]!;
  return n.image === '<';
}

/** Between items on one line: `; `, or a line break (and no `;`). */
const semiLine: Doc = [ifBreak('', ';'), line];

const node = (n: CstNode, key: string): CstNode | undefined => nodes(n, key)[0];
const tokOf = (n: CstNode, key: string): IToken | undefined => toks(n, key)[0];

export class Layout {
  constructor(private readonly c: Comments) {}

  /** A token as written, with the comments before it and the one ending its line. */
  private tok(t: IToken): Doc {
    return [...this.c.before(t.startOffset), t.image, ...this.c.after(t)];
  }

  /** A token the layout leaves out (an optional `;` or `,`): its comments only. */
  private skip(t: IToken): Doc {
    return [...this.c.before(t.startOffset), ...this.c.after(t)];
  }

  file(n: CstNode, length: number): Doc {
    const items = nodes(n, 'item').map((it): Entry[] => [{ el: it, print: () => this.item(it) }]);
    return [this.sequence(items, [], length), hardline];
  }

  private item(n: CstNode): Doc {
    const u = node(n, 'use');
    if (u) return this.use(u);
    const b = node(n, 'block');
    if (b) return this.block(b);
    return this.network(node(n, 'network')!);
  }

  private use(n: CstNode): Doc {
    const str = tokOf(n, 'StringLit');
    const mp = node(n, 'modpath');
    const path = str ? this.tok(str) : ordered(mp!).map((t) => this.tok(t as IToken));
    return [this.tok(tokOf(n, 'Use')!), ' ', path];
  }

  private block(n: CstNode): Doc {
    const bb = node(n, 'blockBody')!;
    const body = node(bb, 'body');
    const eq = tokOf(bb, 'Eq');
    const layer = node(bb, 'layer');
    const head = [this.tok(tokOf(n, 'Block')!), ' ', this.tok(tokOf(n, 'Ident')!), this.list(node(n, 'paramList')!, 'param')];
    if (body) return [head, ' ', this.body(body)];
    const below = this.c.newlines(endOf(eq ?? node(n, 'paramList')!), startOf(layer!)) > 0;
    if (eq) return [head, ' ', this.tok(eq), hang(this.layer(layer!), below)];
    return [head, hang(this.layer(layer!), below)];
  }

  private network(n: CstNode): Doc {
    const out: Doc[] = [this.tok(tokOf(n, 'Network')!), ' ', this.tok(tokOf(n, 'Ident')!)];
    const pl = node(n, 'paramList');
    if (pl) out.push(this.list(pl, 'param'));
    const eq = tokOf(n, 'Eq');
    if (eq) out.push(' ', this.tok(eq), ' ', this.call(node(n, 'call')!));
    const body = node(n, 'body');
    if (body) out.push(' ', this.body(body));
    return out;
  }

  /** `{ statements }`; `{}` when empty. */
  private body(n: CstNode): Doc {
    const open = tokOf(n, 'LBrace')!;
    const close = tokOf(n, 'RBrace')!;
    const stmts = nodes(n, 'stmt');
    const lb = this.tok(open);
    if (stmts.length === 0 && this.c.peekBefore(close.startOffset) === undefined) return [lb, this.tok(close)];
    const lines = this.lines(stmts, (s) => this.stmt(s));
    return [lb, indent([hardline, this.sequence(lines, toks(n, 'Semi'), close.startOffset)]), hardline, this.tok(close)];
  }

  /** Items grouped into source lines: an item starting on the line where the one before it ended joins that line. */
  private lines<T extends CstNode>(items: readonly T[], print: (x: T) => Doc): Entry[][] {
    const out: Entry[][] = [];
    items.forEach((it, i) => {
      const entry = { el: it as El, print: () => print(it) };
      if (i > 0 && this.c.newlines(endOf(items[i - 1]!), startOf(it)) === 0) out[out.length - 1]!.push(entry);
      else out.push([entry]);
    });
    return out;
  }

  /**
   * Lines of items, and the own-line comments between them, one per line; at most one blank line
   * kept where the source has one; the comments left before `close` at the end. The `;` tokens
   * after each item are left out (their comments kept).
   */
  private sequence(lines: Entry[][], semis: readonly IToken[], close: number): Doc {
    const pieces: { start: number; end: number; doc: Doc }[] = [];
    const flat = lines.flat();
    let k = 0; // the next item, over all lines
    let s = 0; // the next `;` to skip
    const comments = (offset: number) => {
      for (let c = this.c.peekBefore(offset); c !== undefined; c = this.c.peekBefore(offset)) {
        if (this.c.isTrailing(c) && pieces.length) {
          // a comment after code that nothing took: it ends the line before it
          const last = pieces[pieces.length - 1]!;
          last.doc = [last.doc, ...this.c.before(c.startOffset + 1)];
          continue;
        }
        this.c.take();
        pieces.push({ start: c.startOffset, end: c.startOffset + c.image.length, doc: this.c.ownLineDoc(c) });
      }
    };
    for (const ln of lines) {
      comments(startOf(ln[0]!.el));
      const docs = ln.map((e) => {
        const d: Doc[] = [e.print()];
        k++;
        const next = flat[k];
        const limit = next ? startOf(next.el) : close;
        const kept = next !== undefined && endsInExpression(e.el) && startsWithPath(next.el);
        let end = endOf(e.el);
        while (s < semis.length && semis[s]!.startOffset < limit) {
          const semi = semis[s++]!;
          d.push(kept ? this.tok(semi) : this.skip(semi));
          end = endOf(semi);
        }
        return { d, kept, end };
      });
      const doc = docs.length === 1 ? docs[0]!.d : fill(docs.flatMap((x, i) => (i === 0 ? [x.d] : [docs[i - 1]!.kept ? line : semiLine, x.d])));
      pieces.push({ start: startOf(ln[0]!.el), end: docs[docs.length - 1]!.end, doc });
    }
    comments(close);
    const out: Doc[] = [];
    pieces.forEach((p, i) => {
      if (i > 0) {
        out.push(hardline);
        if (this.c.newlines(pieces[i - 1]!.end, p.start) >= 2) out.push(hardline);
      }
      out.push(p.doc);
    });
    return out;
  }

  private stmt(n: CstNode): Doc {
    const i = node(n, 'inputStmt');
    if (i) return this.spaced(i);
    const o = node(n, 'outputStmt');
    if (o) return this.spaced(o);
    const e = node(n, 'expectStmt');
    if (e) return this.spaced(e);
    return this.layer(node(n, 'layer')!);
  }

  /** Children separated by single spaces, none before `:`; a type, `[...]`, printed whole. */
  private spaced(n: CstNode): Doc {
    const out: Doc[] = [];
    for (const el of ordered(n)) {
      const colon = isToken(el) && el.image === ':';
      if (out.length && !colon) out.push(' ');
      out.push(isToken(el) ? this.tok(el) : this.any(el));
    }
    return out;
  }

  /** `A + B * C`: operands and operators separated by spaces. */
  private layer(n: CstNode): Doc {
    return join(' ', ordered(n).map((el) => (isToken(el) ? this.tok(el) : this.operand(el))));
  }

  /** `label: repeat if cond else operand`. */
  private operand(n: CstNode): Doc {
    const out: Doc[] = [];
    for (const el of ordered(n)) {
      if (isToken(el)) {
        if (el.image === ':') out.push(this.tok(el));
        else out.push(out.length ? ' ' : '', this.tok(el));
        continue;
      }
      const sep = out.length ? ' ' : '';
      if (el.name === 'label') out.push(this.tok(ordered(el)[0] as IToken));
      else if (el.name === 'repeat') out.push(sep, this.repeat(el));
      else if (el.name === 'expr') out.push(sep, this.expr(el));
      else out.push(sep, this.operand(el));
    }
    return out;
  }

  /** `primary x count as i with first(args)`. */
  private repeat(n: CstNode): Doc {
    const out: Doc[] = [];
    for (const el of ordered(n)) {
      if (isToken(el)) out.push(el.image === 'x' || el.image === 'as' || el.image === 'with' ? ' ' : el.image === 'first' ? ' ' : out.length ? ' ' : '', this.tok(el));
      else if (el.name === 'primary') out.push(this.primary(el));
      else if (el.name === 'count') out.push(' ', this.plain(el));
      else out.push(this.list(el, 'arg'));
    }
    return out;
  }

  private primary(n: CstNode): Doc {
    const p = node(n, 'path');
    return p ? this.path(p) : this.call(node(n, 'call')!);
  }

  private call(n: CstNode): Doc {
    const al = node(n, 'argList');
    return [this.tok(tokOf(n, 'Ident')!), al ? this.list(al, 'arg') : ''];
  }

  /** `<a; b>`: see the rules above. */
  private path(n: CstNode): Doc {
    const open = tokOf(n, 'LAngle')!;
    const close = tokOf(n, 'RAngle')!;
    const items = nodes(n, 'layer');
    const semis = toks(n, 'Semi');
    const lt = this.tok(open);
    if (items.length === 0) return [lt, this.tok(close)];
    const written = items.some((it, i) => this.c.newlines(i === 0 ? endOf(open) : endOf(items[i - 1]!), startOf(it)) > 0);
    if (written) {
      const lines = this.lines(items, (l) => this.layer(l));
      return [lt, indent([hardline, this.sequence(lines, semis, close.startOffset)]), hardline, this.tok(close)];
    }
    const docs: Doc[] = [];
    let s = 0;
    items.forEach((it, i) => {
      const d: Doc[] = [this.layer(it)];
      const limit = i + 1 < items.length ? startOf(items[i + 1]!) : close.startOffset;
      while (s < semis.length && semis[s]!.startOffset < limit) d.push(this.skip(semis[s++]!));
      docs.push(d);
    });
    if (docs.length === 1) return [lt, docs[0]!, this.tok(close)];
    return group([lt, indent([softline, fill(join(semiLine, docs)), ...this.c.before(close.startOffset)]), softline, this.tok(close)]);
  }

  /**
   * `(a, b = 1)`: items filling their lines under the first, a written line break between two kept;
   * a trailing comma left out. `kind` is the item rule (`param` or `arg`).
   */
  private list(n: CstNode, kind: 'param' | 'arg'): Doc {
    const open = tokOf(n, 'LParen')!;
    const close = tokOf(n, 'RParen')!;
    const items = nodes(n, kind);
    const commas = toks(n, 'Comma');
    const lp = this.tok(open);
    if (items.length === 0) return [lp, this.tok(close)];
    const parts: Doc[] = [];
    items.forEach((it, i) => {
      const d: Doc[] = [this.spacedItem(it)];
      const comma = commas[i];
      if (i + 1 < items.length) d.push(this.tok(comma!));
      else if (comma !== undefined) d.push(this.skip(comma));
      parts.push(d);
      if (i + 1 < items.length) parts.push(line);
    });
    // comments before `)` stay under the items (where a comment before a trailing comma would be)
    return [lp, align([fill(parts), ...this.c.before(close.startOffset)]), this.tok(close)];
  }

  /** `name = value` or `value`. */
  private spacedItem(n: CstNode): Doc {
    return join(' ', ordered(n).map((el) => (isToken(el) ? this.tok(el) : this.expr(el))));
  }

  /** Any expression rule: operators spaced, unary minus and brackets tight, calls with their lists. */
  private expr(n: CstNode): Doc {
    switch (n.name) {
      case 'unary':
        return ordered(n).map((el) => (isToken(el) ? this.tok(el) : this.expr(el)));
      case 'atom':
      case 'count':
        return this.plain(n);
      default:
        return join(' ', ordered(n).map((el) => (isToken(el) ? this.tok(el) : this.expr(el))));
    }
  }

  /** Tokens and sub-expressions with no space between (`(e)`, `f(args)`, a literal). */
  private plain(n: CstNode): Doc {
    return ordered(n).map((el) => (isToken(el) ? this.tok(el) : el.name === 'argList' ? this.list(el, 'arg') : this.expr(el)));
  }

  /** A type `f32[N, 3, 224, 224]` (dimensions after `, `), or any other rule. */
  private any(n: CstNode): Doc {
    if (n.name !== 'type') return this.expr(n);
    return ordered(n).map((el) => (isToken(el) ? (el.image === ',' ? [this.tok(el), ' '] : this.tok(el)) : this.expr(el)));
  }
}
