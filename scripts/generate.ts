/**
 * Writes the files generated from the compiler's own definitions, so that they cannot drift from
 * it (test/parser/grammar-files.test.ts regenerates each and fails on a difference):
 *  - grammar/diagrams.html: railroad diagrams of the chevrotain grammar;
 *  - grammar/resdsl.tmLanguage.json: the editor grammar, its keywords from the lexer and its
 *    built-in layers and functions from the op definitions;
 *  - README.md, between `<!-- layers:begin -->` and `<!-- layers:end -->`: the table of layers.
 * Run: npx tsx scripts/generate.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinFunctions } from '../src/ir/elaborate/functions.js';
import { surfaceForms, type ArgDecl, type SurfaceForm } from '../src/ir/ops/index.js';
import { createSyntaxDiagramsCode } from '../src/parser/chevrotain.js';
import { parser } from '../src/parser/grammar.js';
import * as T from '../src/parser/tokens.js';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
export const diagramsPath = root('grammar/diagrams.html');
export const tmLanguagePath = root('grammar/resdsl.tmLanguage.json');
export const readmePath = root('README.md');

/** The HTML of the diagrams page (it loads chevrotain's diagram scripts from a CDN when viewed). */
export function diagramsHtml(): string {
  return createSyntaxDiagramsCode(parser.getSerializedGastProductions());
}

const words = (...tokens: typeof T.Block[]) => tokens.map((t) => T.spellingOf(t)!).join('|');

/** The TextMate grammar, as written to grammar/resdsl.tmLanguage.json. */
export function tmLanguage(): string {
  const forms = surfaceForms().map((s) => s.form);
  const sized = forms.filter((f) => f.sizeInName).map((f) => `${f.name}[0-9]*`);
  const plain = forms.filter((f) => !f.sizeInName).map((f) => f.name);
  const builtins = [...sized, ...plain, 'shortcut', ...builtinFunctions.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const grammar = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'resdsl',
    scopeName: 'source.resdsl',
    fileTypes: ['resdsl'],
    patterns: ['comment', 'string', 'declaration', 'keyword', 'number', 'type', 'builtin', 'label', 'operator', 'punctuation'].map((r) => ({ include: `#${r}` })),
    repository: {
      comment: { name: 'comment.line.number-sign.resdsl', match: '#.*$' },
      string: { name: 'string.quoted.double.resdsl', begin: '"', end: '"|$', patterns: [{ name: 'constant.character.escape.resdsl', match: '\\\\.' }] },
      declaration: {
        match: '\\b(block|network)\\s+([A-Za-z_][A-Za-z0-9_]*)',
        captures: { 1: { name: 'keyword.other.declaration.resdsl' }, 2: { name: 'entity.name.function.resdsl' } },
      },
      keyword: {
        patterns: [
          { name: 'keyword.other.declaration.resdsl', match: `\\b(${words(T.Block, T.Network, T.Use)})\\b` },
          { name: 'keyword.other.resdsl', match: `\\b(${words(T.Input, T.Output, T.Expect)})\\b` },
          // `x` is a keyword only where a count follows (a name before `:`, `=`, `,`, a closer or the line end)
          { name: 'keyword.control.resdsl', match: `\\b(${words(T.As, T.With, T.First, T.If, T.Else)})\\b|\\b${words(T.Times)}\\b(?!\\s*(?:[:=,)\\];>]|$))` },
          { name: 'keyword.operator.logical.resdsl', match: `\\b(${words(T.And, T.Or, T.Not)})\\b` },
          { name: 'constant.language.boolean.resdsl', match: `\\b(${words(T.True, T.False)})\\b` },
        ],
      },
      number: {
        patterns: [
          { name: 'constant.numeric.float.resdsl', match: '\\b[0-9]+(?:_[0-9]+)*(?:\\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)\\b' },
          { name: 'constant.numeric.integer.resdsl', match: '\\b[0-9]+(?:_[0-9]+)*\\b' },
        ],
      },
      type: { name: 'storage.type.tensor.resdsl', match: '\\b(f32|f16|f64|i64|i32)(?=\\s*\\[)' },
      builtin: { name: 'support.function.builtin.resdsl', match: `\\b(${builtins.join('|')})\\b` },
      label: {
        match: '(\\b[A-Za-z_][A-Za-z0-9_]*|"[^"]*")\\s*(:)(?!\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\[)',
        captures: { 1: { name: 'entity.name.tag.label.resdsl' }, 2: { name: 'punctuation.separator.label.resdsl' } },
      },
      operator: { name: 'keyword.operator.resdsl', match: '==|!=|<=|>=|=|\\+|-|\\*|//|/|%' },
      punctuation: {
        patterns: [
          { name: 'punctuation.definition.path.begin.resdsl', match: '<' },
          { name: 'punctuation.definition.path.end.resdsl', match: '>' },
          { name: 'punctuation.separator.resdsl', match: '[;,:]' },
        ],
      },
    },
  };
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

function argText(d: ArgDecl): string {
  const dflt = d.defaultDoc ?? (typeof d.default === 'function' || d.default === undefined ? undefined : String(d.default));
  const name = d.variadic ? `${d.name}...` : d.name;
  return dflt === undefined ? name : `${name} = ${dflt}`;
}

/** The table row of a surface form: its names, its arguments with their defaults, and what it is. */
function formRow(f: SurfaceForm): string {
  const names = f.sizeInName ? `\`${f.name}\`, \`${f.name}K\` (${f.sizeInName} = K)` : `\`${f.name}\``;
  return `| ${names} | ${f.args.map(argText).join(', ') || '-'} | ${f.doc} |`;
}

/** The README's table of built-in layers and functions: every surface form of every op definition. */
export function layerTable(): string {
  const rows = surfaceForms().map(({ form }) => formRow(form));
  const fns = [...builtinFunctions.values()].map((f) => `| \`${f.signature}\` | ${f.doc} |`);
  return ['| layer | arguments (= default) | what it is |', '| --- | --- | --- |', ...rows, '', '| function | what it gives |', '| --- | --- |', ...fns].join('\n');
}

const begin = '<!-- layers:begin (generated by scripts/generate.ts from src/ir/ops; do not edit) -->';
const end = '<!-- layers:end -->';

/** README.md with its layer table regenerated. */
export function readmeWithTable(readme: string): string {
  const i = readme.indexOf(begin);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${begin} ... ${end} markers`);
  return `${readme.slice(0, i + begin.length)}\n${layerTable()}\n${readme.slice(j)}`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(diagramsPath, diagramsHtml());
  writeFileSync(tmLanguagePath, tmLanguage());
  writeFileSync(readmePath, readmeWithTable(readFileSync(readmePath, 'utf8')));
  console.log(`wrote ${diagramsPath}, ${tmLanguagePath} and the layer table of ${readmePath}`);
}
