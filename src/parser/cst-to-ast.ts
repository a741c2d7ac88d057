/**
 * CST -> AST. Reads chevrotain's concrete syntax tree (children keyed by rule, token or label
 * name) and builds the tagged-union AST of ast.ts with a span on every node. After error
 * recovery the CST may be partial: a node missing something it needs is skipped (statements,
 * arguments) or filled with a placeholder, never a thrown exception. The few syntax checks the
 * grammar leaves to this step (`use` paths, `expect params|macs`, expression depth) report E0002
 * and E0402 into the list it returns.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';
import { span, type Span } from '../diagnostics/span.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { limits } from '../limits.js';

/** Deepest expression tree (operators chained or nested), so that recursive consumers stay safe. */
export const maxExprDepth = 4 * limits.maxNesting;

type Expr = A.Expr;

function isToken(el: CstElement): el is IToken {
  return 'tokenType' in el;
}

// chevrotain keys a node's children by rule name (only CST nodes) or by token type or label (only
// tokens), so the accessors below need not filter by kind.

function nodes(n: CstNode | undefined, key: string): CstNode[] {
  return (n?.children[key] ?? []) as CstNode[];
}

/** A real token: in the source, not inserted by error recovery. */
const real = (t: IToken): boolean => Number.isFinite(t.startOffset) && t.isInsertedInRecovery !== true;

/** The tokens under `key` that are really in the source (not inserted by error recovery). */
function toks(n: CstNode | undefined, key: string): IToken[] {
  const els = (n?.children[key] ?? []) as IToken[];
  return els.every(real) ? els : els.filter(real);
}

const node = (n: CstNode | undefined, key: string): CstNode | undefined => n?.children[key]?.[0] as CstNode | undefined;
function tok(n: CstNode | undefined, key: string): IToken | undefined {
  const els = n?.children[key] as IToken[] | undefined;
  if (els === undefined) return undefined;
  for (const t of els) if (real(t)) return t;
  return undefined;
}

function unescape(image: string): string {
  const closed = image.length >= 2 && image.endsWith('"') && !/(^|[^\\])(\\\\)*\\"$/.test(image);
  const inner = image.slice(1, closed ? -1 : undefined);
  return inner.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

class Builder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly depth = new WeakMap<Expr, number>();

  constructor(private readonly file: string, private readonly length: number) {}

  private sp = (start: number, end: number): Span => span(this.file, start, end);
  private tokSpan = (t: IToken): Span => this.sp(t.startOffset, t.startOffset + t.image.length);

  /** The span of a CST node: its location if known, else the extent of its real tokens. */
  private nodeSpan(n: CstNode): Span {
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

  private join = (a: Span, b: Span): Span => this.sp(Math.min(a.start, b.start), Math.max(a.end, b.end));

  private ident(t: IToken | undefined): A.Ident | undefined {
    return t === undefined ? undefined : { kind: 'Ident', name: t.image, span: this.tokSpan(t) };
  }

  fileAst(cst: CstNode): A.FileAst {
    const items: A.Item[] = [];
    for (const it of nodes(cst, 'item')) {
      const u = node(it, 'use');
      const b = node(it, 'block');
      const n = node(it, 'network');
      const item = u ? this.use(u) : b ? this.block(b) : n ? this.network(n) : undefined;
      if (item !== undefined) items.push(item);
    }
    return { kind: 'File', span: this.sp(0, this.length), items };
  }

  private use(n: CstNode): A.UseDecl | undefined {
    const str = tok(n, 'StringLit');
    if (str !== undefined) {
      return { kind: 'Use', span: this.nodeSpan(n), path: unescape(str.image), isStd: false, pathSpan: this.tokSpan(str) };
    }
    const mp = node(n, 'modpath');
    if (mp === undefined) return undefined;
    const segs = toks(mp, 'Ident');
    const first = segs[0];
    if (first === undefined || mp.recoveredNode === true) return undefined;
    const pathSpan = this.nodeSpan(mp);
    if (first.image !== 'std') {
      this.diagnostics.push(error('E0002', `expected a quoted file path or a \`std/\` module path, found \`${first.image}\``,
        this.tokSpan(first), { help: 'a file is named in quotes: use "./blocks.resdsl"' }));
      return undefined;
    }
    if (segs.length < 2) {
      this.diagnostics.push(error('E0002', 'expected a module name after `std/`', pathSpan,
        { help: 'the standard library is used by module: use std/resnet' }));
      return undefined;
    }
    const path = segs.slice(1).map((t) => t.image).join('/');
    return { kind: 'Use', span: this.nodeSpan(n), path, isStd: true, pathSpan };
  }

  private block(n: CstNode): A.BlockDecl | undefined {
    const name = this.ident(tok(n, 'Ident'));
    if (name === undefined) return undefined;
    const bb = node(n, 'blockBody');
    const bodyNode = node(bb, 'body');
    const layerNode = node(bb, 'layer');
    const layer = layerNode ? this.layer(layerNode) : undefined;
    const body = bodyNode ? this.body(bodyNode) : layer ? [layer] : [];
    return { kind: 'Block', span: this.nodeSpan(n), name, params: this.paramList(node(n, 'paramList')), body };
  }

  private network(n: CstNode): A.NetworkDecl | undefined {
    const name = this.ident(tok(n, 'Ident'));
    if (name === undefined) return undefined;
    const callNode = node(n, 'call');
    const bodyNode = node(n, 'body');
    const base = callNode ? this.callExpr(callNode) : undefined;
    const net: A.NetworkDecl = {
      kind: 'Network', span: this.nodeSpan(n), name, params: this.paramList(node(n, 'paramList')),
      body: bodyNode ? this.body(bodyNode) : [],
    };
    if (base !== undefined) net.base = base;
    return net;
  }

  private paramList(n: CstNode | undefined): A.Param[] {
    const out: A.Param[] = [];
    for (const p of nodes(n, 'param')) {
      const name = this.ident(tok(p, 'Ident'));
      if (name === undefined) continue;
      const param: A.Param = { kind: 'Param', span: this.nodeSpan(p), name };
      const e = node(p, 'expr');
      if (e !== undefined) param.default = this.expr(e);
      out.push(param);
    }
    return out;
  }

  private body(n: CstNode): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const s of nodes(n, 'stmt')) {
      const st = this.stmt(s);
      if (st !== undefined) out.push(st);
    }
    return out;
  }

  private stmt(n: CstNode): A.Stmt | undefined {
    const l = node(n, 'layer');
    if (l) return this.layer(l);
    const [i, o, e] = [node(n, 'inputStmt'), node(n, 'outputStmt'), node(n, 'expectStmt')];
    return i ? this.input(i) : o ? this.output(o) : e ? this.expect(e) : undefined;
  }

  private input(n: CstNode): A.InputStmt | undefined {
    const name = this.ident(tok(n, 'Ident'));
    const type = this.type(node(n, 'type'));
    if (name === undefined || type === undefined) return undefined;
    return { kind: 'Input', span: this.nodeSpan(n), name, type };
  }

  private output(n: CstNode): A.OutputStmt | undefined {
    const name = this.ident(tok(n, 'name'));
    if (name === undefined) return undefined;
    const out: A.OutputStmt = { kind: 'Output', span: this.nodeSpan(n), name };
    const source = this.ident(tok(n, 'source'));
    if (source !== undefined) out.source = source;
    return out;
  }

  private expect(n: CstNode): A.ExpectStmt | undefined {
    const sp = this.nodeSpan(n);
    const out = tok(n, 'Output');
    if (out !== undefined) {
      const type = this.type(node(n, 'type'));
      if (type === undefined) return undefined;
      const name = this.ident(tok(n, 'name'));
      return name !== undefined
        ? { kind: 'Expect', span: sp, what: 'output', whatSpan: this.tokSpan(out), output: name, type }
        : { kind: 'Expect', span: sp, what: 'output', whatSpan: this.tokSpan(out), type };
    }
    const what = tok(n, 'what');
    const e = node(n, 'expr');
    if (what === undefined) return undefined;
    if (what.image !== 'params' && what.image !== 'macs') {
      this.diagnostics.push(error('E0002', `expected \`params\`, \`macs\` or \`output\` after \`expect\`, found \`${what.image}\``,
        this.tokSpan(what)));
      return undefined;
    }
    if (e === undefined) return undefined;
    return { kind: 'Expect', span: sp, what: what.image, whatSpan: this.tokSpan(what), value: this.expr(e) };
  }

  /** A statement: operands joined by `+` and `*` (which binds tighter); one operand alone is that operand. */
  private layer(n: CstNode): A.LayerStmt | undefined {
    const operands = nodes(n, 'operand').map((o) => this.operand(o));
    const ops = toks(n, 'CombineOperator').map((t) => t.image);
    // products first: runs of operands joined by `*`, then their sum
    const terms: (A.LayerStmt | undefined)[][] = [[operands[0]]];
    ops.forEach((op, i) => (op === '*' ? terms[terms.length - 1]!.push(operands[i + 1]) : terms.push([operands[i + 1]])));
    return this.combine(terms.map((t) => this.combine(t, '*')), '+');
  }

  private combine(items: (A.LayerStmt | undefined)[], op: '+' | '*'): A.LayerStmt | undefined {
    const operands = items.filter((x): x is A.LayerStmt => x !== undefined);
    if (operands.length <= 1) return operands[0];
    const sp = this.join(operands[0]!.span, operands[operands.length - 1]!.span);
    return { kind: 'Layer', span: sp, term: { kind: 'Combination', span: sp, op, operands } };
  }

  private operand(n: CstNode): A.LayerStmt | undefined {
    const r = node(n, 'repeat');
    const term = r ? this.repeat(r) : undefined;
    if (term === undefined) return undefined;
    const label = this.label(node(n, 'label'));
    const stmt: A.LayerStmt = { kind: 'Layer', span: label ? this.join(label.span, term.span) : term.span, term };
    if (label) stmt.label = label;
    const cond = node(n, 'expr');
    if (cond !== undefined) {
      const otherwiseNode = node(n, 'operand');
      const otherwise = otherwiseNode ? this.operand(otherwiseNode) : undefined;
      stmt.when = { span: this.nodeSpan(n), cond: this.expr(cond), ...(otherwise ? { otherwise } : {}) };
      stmt.span = this.join(stmt.span, stmt.when.span);
    }
    return stmt;
  }

  /** `name` or a quoted template `"block{s}-{i}"` (holes are names; text may not hold `.`). */
  private label(n: CstNode | undefined): A.Label | undefined {
    const id = tok(n, 'Ident');
    if (id !== undefined) return this.ident(id);
    const str = tok(n, 'StringLit');
    if (str === undefined) return undefined;
    const sp = this.tokSpan(str);
    const text = unescape(str.image);
    const parts: (string | A.Ident)[] = [];
    const hole = /\{([^{}]*)\}/g;
    let at = 0;
    for (let m = hole.exec(text); m !== null; m = hole.exec(text)) {
      if (m.index > at) parts.push(text.slice(at, m.index));
      const name = m[1]!.trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        this.diagnostics.push(error('E0002', `a label's hole holds a name, found \`{${m[1]}}\``, sp, { help: 'write "block{stage}-{i}", with names of parameters or repetition indices' }));
        return undefined;
      }
      parts.push({ kind: 'Ident', name, span: sp });
      at = m.index + m[0].length;
    }
    if (at < text.length) parts.push(text.slice(at));
    const literal = parts.filter((p): p is string => typeof p === 'string').join('');
    if (/[.{}]/.test(literal) || text.length === 0) {
      this.diagnostics.push(error('E0002', text.length === 0 ? 'a label cannot be empty' : 'a label cannot hold `.`, `{` or `}` outside a hole', sp, { help: 'labels are names such as layer1 or "block1-{i}"' }));
      return undefined;
    }
    return { kind: 'Template', span: sp, parts };
  }

  private repeat(n: CstNode): A.Repeat | A.Path | A.CallTerm | undefined {
    const p = node(n, 'primary');
    const pathNode = node(p, 'path');
    const callNode = node(p, 'call');
    const body = pathNode ? this.path(pathNode) : callNode ? this.call(callNode) : undefined;
    const countNode = node(n, 'count');
    if (body === undefined || countNode === undefined) return body;
    const count = this.count(countNode);
    if (count === undefined) return body;
    const rep: A.Repeat = { kind: 'Repeat', span: this.join(body.span, this.nodeSpan(n)), body, count };
    const index = this.ident(tok(n, 'index'));
    if (index !== undefined) rep.index = index;
    const withTok = tok(n, 'With');
    const argList = node(n, 'argList');
    if (withTok !== undefined && argList !== undefined) {
      rep.first = { span: this.join(this.tokSpan(withTok), this.nodeSpan(argList)), args: this.args(argList) };
    }
    return rep;
  }

  private count(n: CstNode): Expr | undefined {
    const i = tok(n, 'IntLit');
    if (i !== undefined) return this.int(i);
    const id = tok(n, 'Ident');
    if (id !== undefined) return { kind: 'Name', span: this.tokSpan(id), name: id.image };
    const e = node(n, 'expr');
    return e !== undefined ? { ...this.expr(e), span: this.nodeSpan(n) } : undefined;
  }

  private path(n: CstNode): A.Path {
    const items: A.LayerStmt[] = [];
    for (const l of nodes(n, 'layer')) {
      const item = this.layer(l);
      if (item !== undefined) items.push(item);
    }
    return { kind: 'Path', span: this.nodeSpan(n), items };
  }

  private call(n: CstNode): A.CallTerm | undefined {
    const callee = this.ident(tok(n, 'Ident'));
    if (callee === undefined) return undefined;
    const al = node(n, 'argList');
    return { kind: 'Call', span: this.nodeSpan(n), callee, args: al ? this.args(al) : null };
  }

  private callExpr(n: CstNode): A.CallExpr | undefined {
    const c = this.call(n);
    return c && { kind: 'CallExpr', span: c.span, callee: c.callee, args: c.args ?? [] };
  }

  private args(n: CstNode): A.Arg[] {
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

  private type(n: CstNode | undefined): A.TypeExpr | undefined {
    const dtype = this.ident(tok(n, 'Ident'));
    if (n === undefined || dtype === undefined) return undefined;
    return { kind: 'Type', span: this.nodeSpan(n), dtype, dims: nodes(n, 'expr').map((e) => this.expr(e)) };
  }

  // Expressions. Operators are folded to the left, each operator token standing between the
  // operands it joins (the grammar's operator classes keep them in source order); a tree deeper
  // than maxExprDepth is reported once and replaced by a placeholder.

  /** Operands joined by `and` (tighter) and `or`. */
  private expr(n: CstNode): Expr {
    const parts = nodes(n, 'notExpr').map((x) => this.notExpr(x));
    return this.climb(parts, toks(n, 'LogicalOperator'), logicalPrecedence, n);
  }

  private notExpr(n: CstNode): Expr {
    const inner = node(n, 'notExpr');
    const not = tok(n, 'Not');
    if (inner !== undefined && not !== undefined) return this.prefix('not', not, this.notExpr(inner));
    const a = node(n, 'arith');
    return a ? this.arith(a) : this.placeholder(this.nodeSpan(n));
  }

  /** Operands joined by arithmetic and comparison operators; comparisons do not chain. */
  private arith(n: CstNode): Expr {
    const ops = toks(n, 'BinaryOperator');
    const compares = ops.filter((t) => binaryPrecedence.get(t.image) === 1);
    if (compares.length > 1) {
      this.diagnostics.push(error('E0002', 'comparisons do not chain', this.tokSpan(compares[1]!), { help: 'join them with `and`: (a < b) and (b < c)' }));
      return this.placeholder(this.nodeSpan(n));
    }
    return this.climb(nodes(n, 'unary').map((u) => this.unary(u)), ops, binaryPrecedence, n);
  }

  /**
   * Operands and the operators between them, in source order, into a tree by the operators'
   * precedence (higher binds tighter), each level folded to the left.
   */
  private climb(operands: Expr[], ops: IToken[], precedence: ReadonlyMap<string, number>, n: CstNode): Expr {
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
  private join2(op: string, left: Expr, right: Expr): Expr {
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

  private depthOf = (e: Expr): number => this.depth.get(e) ?? 1;

  private tooDeep(sp: Span): Expr {
    this.diagnostics.push(error('E0402', `expression nests too deeply (more than ${maxExprDepth} operators deep)`, sp,
      { help: 'split the computation into block parameters with defaults' }));
    const p = this.placeholder(sp);
    this.depth.set(p, 1);
    this.cutOff.add(p);
    return p;
  }

  /** Placeholders of trees cut off for depth: an expression stops being built at one. */
  private readonly cutOff = new WeakSet<Expr>();

  private placeholder = (sp: Span): A.IntLit => ({ kind: 'Int', span: sp, value: 0, exact: true });

  private unary(n: CstNode): Expr {
    const a = node(n, 'atom');
    const operand = a !== undefined ? this.atom(a) : this.placeholder(this.nodeSpan(n));
    const minus = tok(n, 'Minus');
    return minus === undefined ? operand : this.prefix('-', minus, operand);
  }

  private prefix(op: A.Unary['op'], t: IToken, operand: Expr): Expr {
    const u: A.Unary = { kind: 'Unary', span: this.join(this.tokSpan(t), operand.span), op, operand };
    const d = this.depthOf(operand) + 1;
    this.depth.set(u, d);
    return d > maxExprDepth ? this.tooDeep(u.span) : u;
  }

  private atom(n: CstNode): Expr {
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

  private int(t: IToken): A.IntLit {
    const digits = t.image.replace(/_/g, '');
    const sp = this.tokSpan(t);
    if (!/^[0-9]+$/.test(digits)) return this.placeholder(sp); // a malformed number, already reported
    const exact = BigInt(digits) <= BigInt(Number.MAX_SAFE_INTEGER);
    return { kind: 'Int', span: sp, value: Number(digits), exact };
  }
}

/** Python's precedence: `* / // %` over `+ -` over comparisons; `and` over `or`. */
const binaryPrecedence: ReadonlyMap<string, number> = new Map([
  ['*', 3], ['/', 3], ['//', 3], ['%', 3], ['+', 2], ['-', 2],
  ['==', 1], ['!=', 1], ['<', 1], ['<=', 1], ['>', 1], ['>=', 1],
]);
const logicalPrecedence: ReadonlyMap<string, number> = new Map([['and', 2], ['or', 1]]);

/** Build the AST of one file from the CST of its `file` rule. */
export function cstToAst(cst: CstNode, file: string, length: number): { ast: A.FileAst; diagnostics: Diagnostic[] } {
  const b = new Builder(file, length);
  const ast = b.fileAst(cst);
  return { ast, diagnostics: b.diagnostics };
}
