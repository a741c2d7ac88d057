/** Resource limits and hostile inputs: E0005, E0006, E0402, huge and empty files. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parser/parse.js';
import { maxExprDepth } from '../../src/parser/cst-to-expr.js';
import { limits } from '../../src/limits.js';
import { diagsOf, FILE, parseOk } from './helpers.js';

const codes = (src: string) => diagsOf(src).map((d) => d.code);

describe('file size (E0005)', () => {
  it('a 10 MB file is one E0005 and no tree', () => {
    const r = parseSource('#'.repeat(10 * 1024 * 1024), FILE);
    expect(r.diagnostics.map((d) => [d.code, d.span.start, d.span.end])).toEqual([['E0005', 0, 0]]);
    expect(r.ast.items).toEqual([]);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const chars = limits.maxSourceBytes / 2 + 1;
    expect(codes('#' + 'é'.repeat(chars - 1))).toEqual(['E0005']);
  });

  it('a file of exactly the limit is accepted', () => {
    expect(codes('#'.repeat(limits.maxSourceBytes))).toEqual([]);
  });
});

describe('text validity (E0006)', () => {
  it.each([
    ['a NUL character', 'block b(a) \0 relu', 11],
    ['a lone high surrogate', 'block b(a) relu # \uD83D', 18],
    ['a lone low surrogate', 'use "\uDE42"', 5],
    ['a reversed pair', '# \uDE42\uD83D', 2],
  ])('%s stops with one E0006 at its offset', (what, src, at) => {
    const ds = diagsOf(src);
    expect(ds.map((d) => [d.code, d.span.start])).toEqual([['E0006', at]]);
    expect(ds[0]?.message).toBe(`source is not valid text: it contains ${what === 'a NUL character' ? what : 'an unpaired UTF-16 surrogate'}`);
  });

  it('a proper surrogate pair is fine', () => {
    expect(codes('# 🙂\nuse "🙂"')).toEqual([]);
  });
});

describe('nesting (E0402)', () => {
  const parens = (n: number) => `block b(a = ${'('.repeat(n - 1)}1${')'.repeat(n - 1)}) relu`;

  it(`${limits.maxNesting} levels of brackets parse; one more is E0402 at the offending bracket`, () => {
    parseOk(parens(limits.maxNesting));
    const src = parens(limits.maxNesting + 1);
    const ds = diagsOf(src);
    // `block b(` opens level 1 at offset 7; the expression's parentheses start at offset 12
    expect(ds.map((d) => [d.code, d.span.start, src[d.span.start]])).toEqual([['E0402', 12 + limits.maxNesting - 1, '(']]);
  });

  it('deep paths of paths parse without exhausting the stack', () => {
    const n = limits.maxNesting;
    const ast = parseOk(`block b(a) ${'<'.repeat(n)}relu${'>'.repeat(n)}`);
    expect(ast.items).toHaveLength(1);
  });

  it('mixed bracket kinds count together; brackets in comments and strings do not count', () => {
    const half = limits.maxNesting / 2;
    expect(codes(`block b(a) ${'<f(a = '.repeat(half + 1)}`)).toEqual(['E0402']);
    expect(codes(`block b(a) ${'<f(a = '.repeat(half)}`)).not.toContain('E0402');
    expect(codes(`# ${'('.repeat(500)}\nuse "${'<'.repeat(500)}"`)).toEqual([]);
  });

  it('100 000 open brackets are one E0402, quickly, and no exception', () => {
    const t0 = Date.now();
    expect(codes('<'.repeat(100_000))).toEqual(['E0402']);
    expect(codes('('.repeat(50_000) + ')'.repeat(50_000))).toEqual(['E0402']);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it(`expressions deeper than ${maxExprDepth} operators are E0402, even a million long`, () => {
    expect(codes(`block b(a = ${'1 + '.repeat(maxExprDepth - 1)}1) relu`)).toEqual([]);
    const src = `block b(a = ${'1 + '.repeat(maxExprDepth)}1) relu`;
    expect(diagsOf(src).map((d) => [d.code, d.span.start])).toEqual([['E0402', 12]]);
    expect(codes(`block b(a = ${'-1*'.repeat(maxExprDepth)}1) relu`)).toEqual(['E0402']);
    expect(codes(`block b(a = ${'2*'.repeat(100_000)}1) relu`)).toEqual(['E0402']);
    // operators inside nested call arguments count too: f(f(...) + 1 + ... + 1), 11 levels deeper each time
    const nested = (k: number): string => (k === 0 ? '1' : `f(${nested(k - 1)}${' + 1'.repeat(10)})`);
    expect(codes(`block b(a = ${nested(20)}) relu`)).toEqual([]);
    expect(codes(`block b(a = ${nested(40)}) relu`)).toEqual(['E0402']);
  });
});

describe('sizes and shapes of input', () => {
  it('the empty string, whitespace only and a lone comment give an empty file', () => {
    for (const src of ['', ' \n\t\r\n', '#']) expect(parseOk(src)).toEqual({ kind: 'File', span: { file: FILE, start: 0, end: src.length }, items: [] });
  });

  it('a 512 KB file of blocks parses in a few seconds', () => {
    const line = 'block b(in, out = 64, s = 2) <conv3(out, stride = s); bn; relu; conv3; bn> + shortcut # ok\n';
    const n = Math.floor((512 * 1024) / line.length);
    const t0 = Date.now();
    const r = parseSource(line.repeat(n), FILE);
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.items.length).toBe(n);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('a file of junk finishes with at most 100 syntax errors', () => {
    const src = 'x } ] ) > ; = == , : block '.repeat(10_000);
    const ds = diagsOf(src);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.length).toBeLessThanOrEqual(100);
  });
});
