/** Syntax errors (E0002): messages, spans, labels, and recovery to report several in one run. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parser/parse.js';
import { diagsOf, FILE, lineOf } from './helpers.js';

const brief = (src: string) =>
  diagsOf(src).map((d) => ({ line: lineOf(src, d.span.start), text: src.slice(d.span.start, d.span.end), message: d.message }));

describe('syntax errors', () => {
  it('three separate errors give three diagnostics at the right lines', () => {
    const src = [
      'block a(in out) <conv3; bn>',
      'block ok(in) <relu>',
      'block b(y) <conv3(stride = )>',
      '',
      'network n {',
      '  input : f32[N, 3]',
      '  relu',
      '}',
    ].join('\n');
    const r = parseSource(src, FILE);
    expect(r.diagnostics.map((d) => [d.code, lineOf(src, d.span.start), src.slice(d.span.start, d.span.end)])).toEqual([
      ['E0002', 1, 'out'], ['E0002', 3, ')'], ['E0002', 6, ':'],
    ]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'expected `)` to close the parameter list, found `out`',
      'expected an expression, found `)`',
      'expected a name, found `:`',
    ]);
    // the good block and the rest of each recovered item are still in the tree
    expect(r.ast.items.map((i) => (i.kind === 'Use' ? 'use' : i.name.name))).toEqual(['a', 'ok', 'b', 'n']);
  });

  it('an unclosed path names the closing bracket and labels the opening one', () => {
    const src = 'block b(a) <conv3; bn; relu;\n+ shortcut';
    const [d, ...rest] = diagsOf(src);
    expect(rest).toEqual([]);
    expect(d?.message).toBe('expected `>` to close the path, found `+`');
    expect(src.slice(d!.span.start, d!.span.end)).toBe('+');
    expect(d?.labels.map((l) => [src.slice(l.span.start, l.span.end), l.span.start, l.message])).toEqual([
      ['<', 11, 'the path opened here'],
    ]);
  });

  it('at the end of the file the span is empty, at the end', () => {
    const src = 'network n { relu; <bn';
    const ds = diagsOf(src);
    expect(ds.map((d) => [d.span.start, d.span.end, d.message])).toEqual([
      [src.length, src.length, 'expected `>` to close the path, found the end of the file'],
    ]);
    expect(ds[0]?.labels[0]?.span.start).toBe(18);
  });

  it('other closers name what they close', () => {
    expect(brief('block b(a) relu(1, 2; bn')[0]?.message).toBe('expected `)` to close the argument list, found `;`');
    expect(brief('network n { input x0: f32[N, 3 }')[0]?.message).toBe('expected `]` to close the shape, found `}`');
    expect(brief('network n { relu')[0]?.message).toBe('expected `}` to close the body, found the end of the file');
    expect(brief('block b(a) relu x (n + 1 ; bn')[0]?.message).toBe('expected `)` to close the parenthesis, found `;`');
  });

  it('junk between items is one error, and parsing resumes at the next item', () => {
    expect(brief('foo bar ; block b(a) relu } } network n { relu }')).toEqual([
      { line: 1, text: 'foo', message: 'expected `use`, `block` or `network`, found `foo`' },
      { line: 1, text: '}', message: 'expected `use`, `block` or `network`, found `}`' },
    ]);
  });

  it('expected alternatives are named by what they are', () => {
    expect(brief('block b(a) relu x 1.5')[0]?.message).toBe('expected a repetition count, found `1.5`');
    expect(brief('block b(a) ;')[0]?.message).toBe('expected a block body (`{`, `=` or a layer), found `;`');
    expect(brief('network n ( ) ;')[0]?.message).toBe('expected `=` or `{` after the network name, found `;`');
    expect(brief('network n { 5 }')[0]?.message).toBe('expected `}` to close the body, found `5`');
    expect(brief('block b(a) relu + 5')[0]?.message).toBe('expected a layer, found `5`');
    expect(brief('block b(a = ) relu')[0]?.message).toBe('expected an expression, found `)`');
    expect(brief('use 5')[0]?.message).toBe('expected a quoted file path or a `std/` module path, found `5`');
    expect(brief('network n { expect flops == 1 }')).toEqual([
      { line: 1, text: 'flops', message: 'expected `params`, `macs` or `output` after `expect`, found `flops`' },
    ]);
    expect(brief('use lib/resnet')[0]?.message).toBe('expected a quoted file path or a `std/` module path, found `lib`');
    expect(brief('use std')[0]?.message).toBe('expected a module name after `std/`');
  });

  it('a keyword as a name gets a help line saying it is a keyword; `x` is a name outside repetitions', () => {
    const [d] = diagsOf('block b(if) relu');
    expect(d?.message).toBe('expected `)` to close the parameter list, found `if`');
    expect(d?.help).toBe('`if` is a keyword and cannot be used as a name');
    expect(diagsOf('block b(x) = <conv3(x); relu> x 2\nnetwork n {\n  input x: f32[N, 3, 8, 8]\n  x: b(4) x 2\n  output y = x\n}')).toEqual([]);
  });

  it('long tokens are not quoted whole', () => {
    const long = 'a'.repeat(200);
    expect(brief(`block b(a) relu x 1.5 ${long}`).map((d) => d.message)).not.toContain(long);
    expect(brief(`network n { input ${long} }`)[0]?.message).toBe('expected `:`, found `}`');
    expect(brief(`block b(a) ${long} : :`)[0]?.message).toMatch(/found `:`$/);
    expect(brief(`network ${long} ${long}`)[0]?.message).toBe('expected `=` or `{` after the network name, found a long name');
  });

  it('every message is one lowercase sentence without a final period or a line break', () => {
    const src = 'block (a) <;> + \nnetwork { input x: f32[ }\nuse\nblock b(a) = \n}}} "s" 1.5 @';
    const ds = diagsOf(src);
    expect(ds.length).toBeGreaterThan(3);
    for (const d of ds) {
      expect(d.message).toMatch(/^[a-z][^\n]*[^.\n]$/);
      expect(d.severity).toBe('error');
    }
  });

  it('a file of many errors reports at most 100, with a note on the last', () => {
    const ds = diagsOf('block b(a) <@>\n'.repeat(300));
    expect(ds).toHaveLength(100);
    expect(ds[99]?.notes).toEqual(['further syntax errors are not shown']);
  });

  it('errors right after another error are follow-on errors and not reported', () => {
    expect(brief('block ( block ( block (').map((d) => d.text)).toEqual(['(']);
    expect(brief('block b(a) relu + + block c(a) relu + + block d(a) relu').map((d) => [d.text, d.message])).toEqual([
      ['+', 'expected a layer, found `+`'], ['+', 'expected a layer, found `+`'],
    ]);
  });

  it('an error is the only one of its statement on its line (the parser resyncs inside it)', () => {
    expect(brief('network n {\n  input as: f32[N, 3, 8, 8]\n  relu\n  <bn> + + relu\n}').map((d) => [d.text, d.message])).toEqual([
      ['as', 'expected a name, found `as`'], ['+', 'expected a layer, found `+`'],
    ]);
    expect(brief('network n {\n  relu + ; relu + ; relu\n}').map((d) => d.message)).toEqual([
      'expected a layer, found `;`', 'expected a layer, found `;`',
    ]);
  });

  it('a file of thousands of errors stops parsing early, says so, and is quick', () => {
    const t0 = Date.now();
    const ds = diagsOf('block b(a) relu + + '.repeat(20_000));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(ds).toHaveLength(100);
    expect(ds.at(-1)?.notes).toEqual(['further syntax errors are not shown']);
    expect(ds.every((d) => d.span.end < 20 * 20_000)).toBe(true);
  });
});
