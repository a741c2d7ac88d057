/**
 * Expressions (and calls, which layers and expressions share) from the concrete syntax tree:
 * operands and operators in source order folded into a tree by Python's precedence; a tree deeper
 * than maxExprDepth is reported once (E0402) and replaced by a placeholder.
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import type { Span } from '../diagnostics/span.js';
import { error } from '../diagnostics/diagnostic.js';
import { limits } from '../limits.js';
import { CstReader, node, nodes, tok, toks } from './cst-read.js';

/** Deepest expression tree (operators chained or nested), so that recursive consumers stay safe. */
export const maxExprDepth = 4 * limits.maxNesting;

type Expr = A.Expr;

/** Python's precedence: `* / // %` over `+ -` over comparisons; `and` over `or`. */
const binaryPrecedence: ReadonlyMap<string, number> = new Map([
  ['*', 3], ['/', 3], ['//', 3], ['%', 3], ['+', 2], ['-', 2],
  ['==', 1], ['!=', 1], ['<', 1], ['<=', 1], ['>', 1], ['>=', 1],
]);
const logicalPrecedence: ReadonlyMap<string, number> = new Map([['and', 2], ['or', 1]]);

export abstract class ExprBuilder extends CstReader {
  private readonly depth = new WeakMap<Expr, number>();

  protected call(n: CstNode): A.CallTerm | undefined {
    const callee = this.ident(tok(n, 'Ident'));
    if (callee === undefined) return undefined;
    const al = node(n, 'argList');
    return { kind: 'Call', span: this.nodeSpan(n), callee, args: al ? this.args(al) : null };
  }

  protected callExpr(n: CstNode): A.CallExpr | undefined {
    const c = this.call(n);
    return c && { kind: 'CallExpr', span: c.span, callee: c.callee, args: c.args ?? [] };
  }

  protected args(n: CstNode): A.Arg[] {
    const out: A.Arg[] = [];
    for (const a of nodes(n, 'arg')) {
      const e = node(a, 'expr');
      if (e === undefined) continue;
      const arg: A.Arg = { kind: 'Arg', span: this.nodeSpan(a), value: this.expr(e) };
      const name = tok(a, 'Eq') !== undefined ? this.ident(tok(a, 'Ident')) : undefined;
      if (name !== undefined) arg.name = name;
      out.push(arg);
    }
    return out;
  }

  // Expressions. Operators are folded to the left, each operator token standing between the
  // operands it joins (the grammar's operator classes keep them in source order); a tree deeper
  // than maxExprDepth is reported once and replaced by a placeholder.

  /** Operands joined by `and` (tighter) and `or`. */
  protected expr(n: CstNode): Expr {
    const only = nodes(n, 'notExpr');
    // one operand and no operator (an argument such as `16`): that operand, with nothing to fold
    if (only.length === 1 && n.children.LogicalOperator === undefined) return this.notExpr(only[0]!);
    const parts = only.map((x) => this.notExpr(x));
    return this.climb(parts, toks(n, 'LogicalOperator'), logicalPrecedence, n);
  }

  protected notExpr(n: CstNode): Expr {
    const inner = node(n, 'notExpr');
    const not = tok(n, 'Not');
    if (inner !== undefined && not !== undefined) return this.prefix('not', not, this.notExpr(inner));
    const a = node(n, 'arith');
    return a ? this.arith(a) : this.placeholder(this.nodeSpan(n));
  }

  /** Operands joined by arithmetic and comparison operators; comparisons do not chain. */
  protected arith(n: CstNode): Expr {
    const operands = nodes(n, 'unary');
    if (operands.length === 1 && n.children.BinaryOperator === undefined) return this.unary(operands[0]!);
    const ops = toks(n, 'BinaryOperator');
    const compares = ops.filter((t) => binaryPrecedence.get(t.image) === 1);
    if (compares.length > 1) {
      this.diagnostics.push(error('E0002', 'comparisons do not chain', this.tokSpan(compares[1]!), { help: 'join them with `and`: (a < b) and (b < c)' }));
      return this.placeholder(this.nodeSpan(n));
    }
    return this.climb(operands.map((u) => this.unary(u)), ops, binaryPrecedence, n);
  }

  /**
   * Operands and the operators between them, in source order, into a tree by the operators'
   * precedence (higher binds tighter), each level folded to the left.
   */
  protected climb(operands: Expr[], ops: IToken[], precedence: ReadonlyMap<string, number>, n: CstNode): Expr {
    if (operands.length === 0) return this.placeholder(this.nodeSpan(n));
    let i = 0;
    let deep: Expr | undefined; // once too deep, reported once: the rest is not built
    const parse = (min: number): Expr => {
      let left = operands[i]!;
      while (deep === undefined && i < ops.length && precedence.get(ops[i]!.image)! >= min) {
        const op = ops[i]!;
        const p = precedence.get(op.image)!;
        i++;
        let right = operands[i] ?? this.placeholder(this.tokSpan(op));
        while (i < ops.length && precedence.get(ops[i]!.image)! > p) right = parse(precedence.get(ops[i]!.image)!);
        left = this.join2(op.image, left, right);
        if (this.cutOff.has(left)) deep = left;
      }
      return deep ?? left;
    };
    return parse(0);
  }

  /** One operator applied: the node, its depth checked. */
  protected join2(op: string, left: Expr, right: Expr): Expr {
    const sp = this.join(left.span, right.span);
    const e: Expr =
      op === 'and' || op === 'or'
        ? { kind: 'Logical', span: sp, op, left, right }
        : binaryPrecedence.get(op) === 1
          ? { kind: 'Compare', span: sp, op: op as A.Compare['op'], left, right }
          : { kind: 'Binary', span: sp, op: op as A.Binary['op'], left, right };
    const d = Math.max(this.depthOf(left), this.depthOf(right)) + 1;
    if (d <= maxExprDepth) {
      this.depth.set(e, d);
      return e;
    }
    return this.tooDeep(sp);
  }

  protected depthOf = (e: Expr): number => this.depth.get(e) ?? 1;

  protected tooDeep(sp: Span): Expr {
    this.diagnostics.push(error('E0402', `expression nests too deeply (more than ${maxExprDepth} operators deep)`, sp,
      { help: 'split the computation into block parameters with defaults' }));
    const p = this.placeholder(sp);
    this.depth.set(p, 1);
    this.cutOff.add(p);
    return p;
  }

  /** Placeholders of trees cut off for depth: an expression stops being built at one. */
  protected readonly cutOff = new WeakSet<Expr>();

  protected placeholder = (sp: Span): A.IntLit => ({ kind: 'Int', span: sp, value: 0, exact: true });

  protected unary(n: CstNode): Expr {
    const a = node(n, 'atom');
    const operand = a !== undefined ? this.atom(a) : this.placeholder(this.nodeSpan(n));
    const minus = tok(n, 'Minus');
    return minus === undefined ? operand : this.prefix('-', minus, operand);
  }

  protected prefix(op: A.Unary['op'], t: IToken, operand: Expr): Expr {
    const u: A.Unary = { kind: 'Unary', span: this.join(this.tokSpan(t), operand.span), op, operand };
    const d = this.depthOf(operand) + 1;
    this.depth.set(u, d);
    return d > maxExprDepth ? this.tooDeep(u.span) : u;
  }

  protected atom(n: CstNode): Expr {
    const i = tok(n, 'IntLit');
    if (i !== undefined) return this.int(i);
    const f = tok(n, 'FloatLit');
    if (f !== undefined) return { kind: 'Float', span: this.tokSpan(f), value: Number(f.image.replace(/_/g, '')) };
    const t = tok(n, 'True') ?? tok(n, 'False');
    if (t !== undefined) return { kind: 'Bool', span: this.tokSpan(t), value: t.image === 'true' };
    const id = tok(n, 'Ident');
    const al = node(n, 'argList');
    if (id !== undefined && al !== undefined) {
      const args = this.args(al);
      const c: A.CallExpr = { kind: 'CallExpr', span: this.nodeSpan(n), callee: this.ident(id)!, args };
      const d = 1 + Math.max(0, ...args.map((a) => this.depthOf(a.value)));
      if (d > maxExprDepth) return this.tooDeep(c.span);
      this.depth.set(c, d);
      return c;
    }
    if (id !== undefined) return { kind: 'Name', span: this.tokSpan(id), name: id.image };
    const e = node(n, 'expr');
    if (e === undefined) return this.placeholder(this.nodeSpan(n));
    const inner = this.expr(e);
    const wrapped = { ...inner, span: this.nodeSpan(n) };
    this.depth.set(wrapped, this.depthOf(inner));
    return wrapped;
  }

  protected int(t: IToken): A.IntLit {
    const digits = t.image.replace(/_/g, '');
    const sp = this.tokSpan(t);
    if (!/^[0-9]+$/.test(digits)) return this.placeholder(sp); // a malformed number, already reported
    // up to 15 digits is below 2^53; only longer ones need the exact comparison
    const exact = digits.length <= 15 || BigInt(digits) <= BigInt(Number.MAX_SAFE_INTEGER);
    return { kind: 'Int', span: sp, value: Number(digits), exact };
  }
}
