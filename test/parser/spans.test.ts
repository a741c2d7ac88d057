/** Spans are character offsets; each test checks the text a node's span cuts out of the source. */
import { describe, expect, it } from 'vitest';
import { parseOk } from './helpers.js';
import type * as A from '../../src/parser/ast.js';
import type { Span } from '../../src/diagnostics/span.js';

function cutter(src: string) {
  return (s: Span | undefined) => (s === undefined ? undefined : src.slice(s.start, s.end));
}

describe('spans', () => {
  it('of uses and their paths', () => {
    const src = '  use std/resnet\nuse "./b.resdsl"';
    const cut = cutter(src);
    const [a, b] = parseOk(src).items as A.UseDecl[];
    expect([cut(a?.span), cut(a?.pathSpan), cut(b?.span), cut(b?.pathSpan)]).toEqual([
      'use std/resnet', 'std/resnet', 'use "./b.resdsl"', '"./b.resdsl"',
    ]);
  });

  it('of blocks, params, layers, labels, repeats and arguments', () => {
    const src = 'block b(out, stride = 1 + 2) {\n  s1: blk(64, stride = 2) x n with first(out = 4)\n  <a> + extra: <c; d>\n}\n';
    const cut = cutter(src);
    const b = parseOk(src).items[0] as A.BlockDecl;
    expect(cut(b.span)).toBe(src.trimEnd());
    expect(b.params.map((p) => cut(p.span))).toEqual(['out', 'stride = 1 + 2']);
    const [l1, l2] = b.body as A.LayerStmt[];
    expect(cut(l1?.span)).toBe('s1: blk(64, stride = 2) x n with first(out = 4)');
    const rep = l1?.term as A.Repeat;
    expect([cut(rep.span), cut(rep.body.span), cut(rep.count.span), cut(rep.first?.span)]).toEqual([
      'blk(64, stride = 2) x n with first(out = 4)', 'blk(64, stride = 2)', 'n', 'with first(out = 4)',
    ]);
    const args = (rep.body as A.CallTerm).args ?? [];
    expect(args.map((a) => cut(a.span))).toEqual(['64', 'stride = 2']);
    expect(cut(args[1]?.name?.span)).toBe('stride');
    const res = l2?.term as A.Residual;
    expect([cut(l2?.span), cut(res.span), ...res.operands.map((o) => cut(o.span))]).toEqual([
      '<a> + extra: <c; d>', '<a> + extra: <c; d>', '<a>', 'extra: <c; d>',
    ]);
    expect(cut(res.operands[1]?.term.span)).toBe('<c; d>');
  });

  it('of expressions: parentheses belong to the expression they enclose', () => {
    const src = 'block b(w = -(a + 2) * f(k = 3) % 7) relu';
    const cut = cutter(src);
    const e = (parseOk(src).items[0] as A.BlockDecl).params[0]?.default as A.Binary;
    expect(cut(e.span)).toBe('-(a + 2) * f(k = 3) % 7');
    const mul = e.left as A.Binary;
    expect([cut(mul.span), cut(mul.left.span), cut(mul.right.span), cut(e.right.span)]).toEqual([
      '-(a + 2) * f(k = 3)', '-(a + 2)', 'f(k = 3)', '7',
    ]);
    expect(cut((mul.left as A.Unary).operand.span)).toBe('(a + 2)');
  });

  it('of network statements', () => {
    const src = 'network n = r(1) {\n  input x0: f32[N, 3]\n  output y = z\n  expect params == 10\n  expect output y == f32[N]\n}';
    const cut = cutter(src);
    const n = parseOk(src).items[0] as A.NetworkDecl;
    expect([cut(n.span), cut(n.base?.span)]).toEqual([src, 'r(1)']);
    const [i, o, p, q] = n.body as [A.InputStmt, A.OutputStmt, A.ExpectStmt, A.ExpectStmt];
    expect([cut(i.span), cut(i.type.span), cut(i.type.dtype.span), cut(o.span), cut(o.source?.span)]).toEqual([
      'input x0: f32[N, 3]', 'f32[N, 3]', 'f32', 'output y = z', 'z',
    ]);
    expect([cut(p.span), cut(p.whatSpan), cut(q.span), cut(q.whatSpan)]).toEqual([
      'expect params == 10', 'params', 'expect output y == f32[N]', 'output',
    ]);
  });

  it('count UTF-16 code units, so text after non-ASCII comments and strings lines up', () => {
    const src = '# Größe 🙂\nuse "📁/b"\nblock b(a) relu';
    const cut = cutter(src);
    const [u, b] = parseOk(src).items as [A.UseDecl, A.BlockDecl];
    expect([cut(u.pathSpan), cut(b.name.span)]).toEqual(['"📁/b"', 'b']);
    expect(u.path).toBe('📁/b');
  });

  it('of the file: the whole text', () => {
    const src = '\n\nblock b(a) relu\n\n';
    expect(parseOk(src).span).toEqual({ file: 't.resdsl', start: 0, end: src.length });
  });
});
