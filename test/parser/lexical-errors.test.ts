/** E0001 (bad characters), E0003 (unterminated strings), E0004 (malformed numbers). */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parser/parse.js';
import { diagsOf, exprOf, FILE } from './helpers.js';

const brief = (src: string) => diagsOf(src).map((d) => [d.code, src.slice(d.span.start, d.span.end), d.message]);

describe('lexical errors', () => {
  it('one E0001 per run of bad characters, and no follow-on syntax error', () => {
    const src = 'block b(a) <conv3 @@@ ; bn ! ; relu>';
    expect(brief(src)).toEqual([
      ['E0001', '@@@', 'unexpected characters starting with `@`'],
      ['E0001', '!', 'unexpected character `!`'],
    ]);
  });

  it('non-ASCII letters are not names: reported once, with help; fine in comments and strings', () => {
    const src = 'block größe(a) relu';
    const ds = diagsOf(src);
    expect(ds.map((d) => [d.code, src.slice(d.span.start, d.span.end)])).toEqual([['E0001', 'öß']]);
    expect(ds[0]?.message).toBe('unexpected characters starting with `ö` (U+00F6)');
    expect(ds[0]?.help).toMatch(/ASCII/);
    expect(diagsOf('# größe\nuse "größe.resdsl"')).toEqual([]);
    expect(brief('block b(a) 🙂')).toEqual([['E0001', '🙂', 'unexpected character `🙂` (U+1F642)']]);
    expect(brief('block b(a)\u00a0relu\u200b')).toEqual([
      ['E0001', '\u00a0', 'unexpected character U+00A0'], ['E0001', '\u200b', 'unexpected character U+200B'],
    ]);
  });

  it('an unterminated string is E0003 and parsing goes on', () => {
    const src = 'use "./a.resdsl\nblock b(a) relu\nuse "x\\';
    const r = parseSource(src, FILE);
    expect(r.diagnostics.map((d) => [d.code, src.slice(d.span.start, d.span.end)])).toEqual([
      ['E0003', '"./a.resdsl'], ['E0003', '"x\\'],
    ]);
    expect(r.ast.items.map((i) => i.kind)).toEqual(['Use', 'Block', 'Use']);
  });

  it.each([
    ['1__0', '`_` must stand between two digits'],
    ['10_', '`_` must stand between two digits'],
    ['1_.5', '`_` must stand between two digits'],
    ['1e', 'the exponent has no digits'],
    ['2.5e+', 'the exponent has no digits'],
    ['1.', '`.` must be followed by a digit'],
    ['1.x', '`.` must be followed by a digit'],
    ['3x', 'a name cannot start with a digit'],
    ['1.2.3', 'invalid number literal'],
  ])('the malformed number %s is one E0004, and nothing else', (num, msg) => {
    const src = `block b(a = ${num}) relu`;
    const ds = diagsOf(src);
    expect(ds.map((d) => [d.code, src.slice(d.span.start, d.span.end)])).toEqual([['E0004', num]]);
    expect(ds[0]?.message).toContain(msg);
  });

  it('a malformed number is still usable as a repetition count (no second error)', () => {
    expect(brief('block b(a) relu x 1__0').map((d) => d[0])).toEqual(['E0004']);
  });

  it('well-formed numbers lex as one token each', () => {
    expect(exprOf('1_000_000')).toMatchObject({ kind: 'Int', value: 1e6 });
    expect(exprOf('1e5')).toMatchObject({ kind: 'Float', value: 1e5 });
    expect(exprOf('2-1')).toMatchObject({ kind: 'Binary', op: '-' });
    expect(exprOf('2e-1-1')).toMatchObject({ kind: 'Binary', op: '-', left: { kind: 'Float', value: 0.2 } });
  });
});
