/**
 * No input makes parseSource throw, and whatever it returns is well formed: diagnostics with
 * known codes, spans inside the text, messages in the house style; AST spans inside the text.
 * Fixed seeds and a few hundred runs each, so that the suite stays fast and repeatable.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parser/parse.js';
import { codes } from '../../src/diagnostics/codes.js';
import { FILE, walk } from './helpers.js';

const runs = { seed: 20240611, numRuns: 300 };

const knownCodes = new Set(Object.keys(codes));

/** What is wrong with the result of parsing `src` (plain checks: thousands of expect() calls are slow). */
function problems(src: string): string[] {
  const out: string[] = [];
  const { ast, diagnostics } = parseSource(src, FILE);
  const inText = (s: { file: string; start: number; end: number }) =>
    s.file === FILE && Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= src.length;
  for (const d of diagnostics) {
    if (!knownCodes.has(d.code)) out.push(`unknown code ${d.code}`);
    if (!/^[a-z][^\n]*[^.\n]$/.test(d.message)) out.push(`badly formed message: ${d.message}`);
    for (const s of [d.span, ...d.labels.map((l) => l.span)]) if (!inText(s)) out.push(`diagnostic span out of the text: ${JSON.stringify(s)}`);
  }
  for (const n of walk(ast)) {
    if (!inText(n.span)) out.push(`${n.kind} span out of the text: ${JSON.stringify(n.span)}`);
    if (n.kind === 'Ident' && src.slice(n.span.start, n.span.end) !== n.name) out.push(`Ident ${String(n.name)} misplaced`);
  }
  return out;
}

function checkWellFormed(src: string): void {
  expect(problems(src)).toEqual([]);
}

const pieces = [
  'block', 'network', 'use', 'input', 'output', 'expect', 'with', 'first', 'true', 'false', 'x', 'x0',
  'relu', 'conv3', 'shortcut', 'params', 'macs', 'std', 'N', 'f32', 'in', 'out', '_a',
  '0', '64', '1_000', '1__0', '2.5', '1e-5', '1e', '9007199254740993', '"s"', '"./a.resdsl"', '"open',
  '<', '>', '(', ')', '{', '}', '[', ']', ';', ',', ':', '=', '==', '+', '-', '*', '/', '%',
  '#c\n', '\n', '\r\n', ' ', '\t', '@', 'é', '🙂', '\\', '.', '\0', '\uD800',
];
const soup = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((ps) => ps.join(' '));
const tightSoup = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((ps) => ps.join(''));
const anyUnits = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 80 })
  .map((cs) => String.fromCharCode(...cs));

const example = readFileSync(new URL('./fixtures/brief-examples.resdsl', import.meta.url), 'utf8');
/** The examples file with random cuts and insertions: realistic broken programs. */
const mutated = fc
  .array(
    fc.record({
      at: fc.nat({ max: example.length }),
      cut: fc.nat({ max: 12 }),
      put: fc.constantFrom('', ...pieces),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((edits) =>
    edits.reduce((s, e) => s.slice(0, Math.min(e.at, s.length)) + e.put + s.slice(Math.min(e.at + e.cut, s.length)), example),
  );

describe('parseSource never throws and returns well-formed results', () => {
  it('on the examples themselves: no problem and no diagnostic', () => {
    expect(problems(example)).toEqual([]);
    expect(parseSource(example, FILE).diagnostics).toEqual([]);
  });

  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => checkWellFormed(s)), runs);
  });

  it('on random UTF-16 code units, NUL and lone surrogates included', () => {
    fc.assert(fc.property(anyUnits, (s) => checkWellFormed(s)), runs);
  });

  it('on token soups, spaced and unspaced', () => {
    fc.assert(fc.property(soup, (s) => checkWellFormed(s)), runs);
    fc.assert(fc.property(tightSoup, (s) => checkWellFormed(s)), runs);
  });

  it('on mutations of the example programs', () => {
    fc.assert(fc.property(mutated, (s) => checkWellFormed(s)), { ...runs, numRuns: 200 });
  });

  it('on nested brackets of every kind and depth around the limit', () => {
    const nest = fc.tuple(fc.array(fc.constantFrom('<', '(', '{', '['), { minLength: 55, maxLength: 75 }), fc.boolean());
    fc.assert(
      fc.property(nest, ([opens, close]) => {
        const closers: Record<string, string> = { '<': '>', '(': ')', '{': '}', '[': ']' };
        const tail = close ? opens.map((o) => closers[o]).reverse().join('') : '';
        checkWellFormed(`block b(a) ${opens.join('relu ')}1${tail}`);
      }),
      { ...runs, numRuns: 100 },
    );
  });
});

describe('names are ASCII, consistently', () => {
  it('a name with a non-ASCII letter is always E0001, never accepted', () => {
    const letter = fc.constantFrom('é', 'ß', 'Ж', 'λ', '中', 'ı', 'ﬁ', '𝔸');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), letter, fc.nat({ max: 6 }), (name, ch, at) => {
        const bad = name.slice(0, at) + ch + name.slice(at);
        const codesFound = parseSource(`block ${bad}(a) relu`, FILE).diagnostics.map((d) => d.code);
        expect(codesFound).toContain('E0001');
      }),
      runs,
    );
  });
});
