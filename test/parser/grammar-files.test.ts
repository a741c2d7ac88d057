/** grammar/: the EBNF names exactly the parser's rules, the diagrams are fresh, the TextMate grammar fits. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleNames } from '../../src/parser/grammar.js';
import { keywordTokens, spellingOf, Times } from '../../src/parser/tokens.js';
import { diagramsHtml, diagramsPath, readmePath, readmeWithTable, tmLanguage, tmLanguagePath } from '../../scripts/generate.js';

const read = (name: string) => readFileSync(new URL(`../../grammar/${name}`, import.meta.url), 'utf8');
const ebnf = read('resdsl.ebnf').replace(/\(\*[\s\S]*?\*\)/g, ' ');
const defined = [...ebnf.matchAll(/^([A-Za-z_]\w*)\s*=/gm)].map((m) => m[1]!);
const lowercaseRules = defined.filter((n) => /^[a-z]/.test(n));

describe('grammar/resdsl.ebnf', () => {
  it('defines every chevrotain rule, and no other lowercase rule', () => {
    expect(ruleNames().length).toBeGreaterThan(20);
    expect([...lowercaseRules].sort()).toEqual([...ruleNames()].sort());
  });

  it('defines every name it uses', () => {
    const strings = /"[^"]*"|'[^']*'|\?[^?]*\?/g; // terminals and ISO special sequences ? ... ?
    const used = new Set(ebnf.replace(strings, ' ').match(/\b[A-Za-z_]\w*\b/g) ?? []);
    const undefinedNames = [...used].filter((n) => !defined.includes(n));
    expect(undefinedNames).toEqual([]);
  });

  it('lists every keyword of the lexer in its header and uses each one', () => {
    const header = read('resdsl.ebnf').slice(0, 900);
    for (const k of keywordTokens) {
      const word = spellingOf(k)!;
      expect(header).toContain(word);
      expect(ebnf).toContain(`"${word}"`);
    }
  });
});

describe('grammar/diagrams.html', () => {
  it('is what scripts/generate.ts generates now (run `npx tsx scripts/generate.ts` if not)', () => {
    expect(diagramsPath.endsWith('grammar/diagrams.html')).toBe(true);
    expect(readFileSync(diagramsPath, 'utf8') === diagramsHtml()).toBe(true);
  });

  it('shows every rule', () => {
    const html = readFileSync(diagramsPath, 'utf8');
    for (const r of ruleNames()) expect(html).toContain(`"name": "${r}"`);
  });
});

describe('grammar/resdsl.tmLanguage.json', () => {
  interface Pattern { name?: string; match?: string; begin?: string; end?: string; patterns?: Pattern[] }
  const tm = JSON.parse(read('resdsl.tmLanguage.json')) as { scopeName: string; repository: Record<string, Pattern> };
  const all: Pattern[] = [];
  const collect = (p: Pattern) => { all.push(p); p.patterns?.forEach(collect); };
  Object.values(tm.repository).forEach(collect);
  const matching = (scope: string, text: string) =>
    all.some((p) => p.name?.startsWith(scope) && p.match !== undefined && new RegExp(`^(?:${p.match})$`).test(text));

  it('is what scripts/generate.ts generates now, from the lexer and the op definitions (run `npx tsx scripts/generate.ts` if not)', () => {
    expect(readFileSync(tmLanguagePath, 'utf8')).toBe(tmLanguage());
  });

  it('has a scope and regexes that compile', () => {
    expect(tm.scopeName).toBe('source.resdsl');
    for (const p of all) for (const re of [p.match, p.begin, p.end]) if (re !== undefined) expect(() => new RegExp(re)).not.toThrow();
  });

  it('highlights every keyword of the lexer', () => {
    // whether a pattern of `scope` matches `word` at the start of `line` (as an editor reads a line)
    const starts = (scope: string, line: string, word: string) =>
      all.some((p) => p.name?.startsWith(scope) && p.match !== undefined && new RegExp(p.match, 'y').exec(line)?.[0] === word);
    for (const k of keywordTokens) {
      const word = spellingOf(k)!;
      const line = k === Times ? 'x 2' : word;
      expect(starts('keyword', line, word) || starts('constant.language', line, word)).toBe(true);
    }
    // `x` between a layer and its count, not as a name
    expect(starts('keyword', 'x (n - 1) as i', 'x')).toBe(true);
    expect(starts('keyword', 'x: f32[N, 3, 8, 8]', 'x')).toBe(false);
    expect(starts('keyword', 'x)', 'x')).toBe(false);
    expect(starts('keyword', 'x', 'x')).toBe(false);
  });

  it('highlights comments, numbers with separators, and the builtin layers', () => {
    expect(matching('comment', '# a comment')).toBe(true);
    for (const n of ['25_557_032', '0', '0.5', '1e-5']) expect(matching('constant.numeric', n)).toBe(true);
    expect(matching('constant.numeric', '1__0')).toBe(false);
    const builtins = 'conv1 conv3 conv7 conv dwconv3 bn relu sigmoid maxpool maxpool3 avgpool avgpool2 gap flatten fc dropout identity shortcut make_divisible round';
    for (const b of builtins.split(' ')) expect(matching('support.function', b)).toBe(true);
    expect(matching('support.function', 'conv3x')).toBe(false);
  });
});

describe('README.md', () => {
  it('lists every built-in layer and function as scripts/generate.ts makes the table from their definitions', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(readme).toBe(readmeWithTable(readme));
  });
});
