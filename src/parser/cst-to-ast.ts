/**
 * CST -> AST. Reads chevrotain's concrete syntax tree (children keyed by rule, token or label
 * name) and builds the tagged-union AST of ast.ts with a span on every node. After error
 * recovery the CST may be partial: a node missing something it needs is skipped (statements,
 * arguments) or filled with a placeholder, never a thrown exception. The few syntax checks the
 * grammar leaves to this step (`use` paths, `expect params|macs`, expression depth) report E0002
 * and E0402 into the list it returns.
 */
import type { CstNode } from 'chevrotain';
import type * as A from './ast.js';
import { error } from '../diagnostics/diagnostic.js';
import { isBuiltStatement, node, nodes, tok, toks, unescape } from './cst-read.js';
import { ExprBuilder } from './cst-to-expr.js';

type Expr = A.Expr;

/** What turns one file's CST into its AST: its statements as they are parsed (`stmt`), then the rest (`fileAst`). */
export class AstBuilder extends ExprBuilder {
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
      const st = isBuiltStatement(s) ? (s.built as A.Stmt | undefined) : this.stmt(s);
      if (st !== undefined) out.push(st);
    }
    return out;
  }

  /** One statement (what the parser's `eagerStatements` calls as each is parsed). */
  stmt(n: CstNode): A.Stmt | undefined {
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
    const operandNodes = nodes(n, 'operand');
    if (operandNodes.length === 1) return this.operand(operandNodes[0]!); // one operand: nothing to combine
    const operands = operandNodes.map((o) => this.operand(o));
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

  private type(n: CstNode | undefined): A.TypeExpr | undefined {
    const dtype = this.ident(tok(n, 'Ident'));
    if (n === undefined || dtype === undefined) return undefined;
    return { kind: 'Type', span: this.nodeSpan(n), dtype, dims: nodes(n, 'expr').map((e) => this.expr(e)) };
  }
}
