/**
 * The parser's syntax error messages (chevrotain's error message provider): one lowercase sentence
 * naming what was expected and what was found, with the bracket being closed or the construct a
 * rule stands for where a token list would say less.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { EOF } from './chevrotain.js';
import * as T from './tokens.js';

const nouns: ReadonlyMap<TokenType, string> = new Map([
  [T.Ident, 'a name'], [T.IntLit, 'an integer'], [T.FloatLit, 'a number'],
  [T.StringLit, 'a string'], [EOF, 'the end of the file'],
]);

/** How an expected token type is named in a message: `>`, `block`, a name. */
function describeExpected(t: TokenType): string {
  const s = T.spellingOf(t);
  return s !== undefined ? `\`${s}\`` : (nouns.get(t) ?? t.name);
}

/** How a found token is named in a message: `;`, `relu`, a string, the end of the file. */
function describeFound(tok: IToken | undefined): string {
  if (tok === undefined || tok.tokenType === EOF) return 'the end of the file';
  if (tok.tokenType === T.StringLit || tok.tokenType === T.BadString) return 'a string';
  const img = tok.image;
  if (img.length > 24) return tok.tokenType === T.Ident ? 'a long name' : 'a long number';
  return `\`${img}\``;
}

/** What a closing bracket closes, by the rule that consumes it. */
const closes: Record<string, string> = {
  path: 'path', paramList: 'parameter list', argList: 'argument list', body: 'body',
  type: 'shape', count: 'parenthesis', atom: 'parenthesis',
};

/** What is expected where none of a rule's alternatives fits. */
const altNouns: Record<string, string> = {
  item: '`use`, `block` or `network`',
  use: 'a quoted file path or a `std/` module path',
  blockBody: 'a block body (`{`, `=` or a layer)',
  network: '`=` or `{` after the network name',
  expectStmt: '`params`, `macs` or `output`',
  count: 'a repetition count',
  primary: 'a layer',
  label: 'a label',
  notExpr: 'an expression',
  atom: 'an expression',
};

function listOf(items: string[]): string {
  const u = [...new Set(items)];
  if (u.length <= 1) return u[0] ?? 'something else';
  return `${u.slice(0, -1).join(', ')} or ${u[u.length - 1]}`;
}

export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const found = describeFound(actual);
    if (expected === EOF && ruleName === 'file') return `expected ${altNouns.item}, found ${found}`;
    const what = [...T.openers.values()].includes(expected) ? closes[ruleName] : undefined;
    const purpose = what !== undefined ? ` to close the ${what}` : '';
    return `expected ${describeExpected(expected)}${purpose}, found ${found}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected ${altNouns.item}, found ${describeFound(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const noun = altNouns[ruleName];
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((p) => p[0]));
    const expected = noun ?? listOf(firsts.filter((t) => t !== undefined).map(describeExpected));
    return `expected ${expected}, found ${describeFound(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = expectedIterationPaths.map((p) => p[0]).filter((t) => t !== undefined);
    const expected = altNouns[ruleName] ?? listOf(firsts.map(describeExpected));
    return `expected ${expected}, found ${describeFound(actual[0])}`;
  },
};
