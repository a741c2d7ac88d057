/**
 * The parser's entry point: source text in, AST and diagnostics out, never an exception.
 * Order: size (E0005, stop), valid text (E0006, stop), lexing (E0001, E0003, E0004), bracket
 * nesting pre-scan (E0402, stop: chevrotain's recursion must stay far from the JS stack limit),
 * parsing with recovery (E0002), then CST -> AST.
 */
import { type CstNode, type IToken, type ILexingError, type IRecognitionException, type TokenType } from 'chevrotain';
import { EOF, tokenMatcher } from './chevrotain.js';
import type { FileAst } from './ast.js';
import { span, type Span } from '../diagnostics/span.js';
import { error, sortDiagnostics, type Diagnostic, type Label } from '../diagnostics/diagnostic.js';
import { limits } from '../limits.js';
import * as T from './tokens.js';
import { parser } from './grammar.js';
import { AstBuilder } from './cst-to-ast.js';

/** At most this many syntax errors (E0001 to E0004, E0002) are reported for one file. */
export const maxSyntaxErrors = 100;

export interface ParseResult {
  ast: FileAst;
  diagnostics: Diagnostic[];
}

/**
 * What tools need beside the AST: chevrotain's concrete syntax tree (every token, for the
 * formatter), the tokens and the comments, in source order. `cst` is absent when parsing did not
 * run (a file too large, not text, or nested too deeply).
 */
export interface DetailedParse extends ParseResult {
  cst?: CstNode;
  tokens: IToken[];
  comments: IToken[];
}

/** Parse one `.resdsl` file. `file` is the name used in spans. */
export function parseSource(text: string, file: string): ParseResult {
  const { ast, diagnostics } = parse(text, file, false);
  return { ast, diagnostics };
}

/** parseSource, keeping the concrete syntax tree, the tokens and the comments (for the formatter and the language server). */
export function parseDetailed(text: string, file: string): DetailedParse {
  return parse(text, file, true);
}

/** The parse; without `wholeCst`, statements are built as they are parsed and the CST keeps only stubs of them. */
function parse(text: string, file: string, wholeCst: boolean): DetailedParse {
  const empty: FileAst = { kind: 'File', span: span(file, 0, text.length), items: [] };
  const early = checkText(text, file);
  if (early !== undefined) return { ast: empty, diagnostics: [early], tokens: [], comments: [] };

  const lexed = T.lexer.tokenize(text);
  const comments = (lexed.groups.comments ?? []) as IToken[];
  const diags = lexed.errors.map((e) => lexError(e, text, file));
  const tokens = lexed.tokens.map((t) => fixToken(t, file, diags));
  const deep = nestingError(tokens, file);
  if (deep !== undefined) return { ast: empty, diagnostics: finish([...diags, deep]), tokens, comments };

  const builder = new AstBuilder(file, text.length);
  const { cst, errors, abandoned } = runParser(tokens, wholeCst ? undefined : (stmt) => builder.stmt(stmt));
  const seen = shadowed(diags, tokens, text.length);
  let lastIndex = -2;
  let lastLine = -1;
  for (const e of errors) {
    const d = parseError(e, tokens, text, file);
    const index = firstTokenAt(tokens, d.span!.start);
    const line = tokens[index]?.startLine ?? -2;
    // right after another error, or later in its statement on its line: most likely caused by it
    // (the parser skips ahead to somewhere it can go on, which is rarely where the writer meant)
    const cascade = index === lastIndex + 1 || (line === lastLine && !statementBetween(tokens, lastIndex, index));
    lastIndex = index;
    lastLine = line;
    if (cascade || seen.has(d.span!.start)) continue;
    seen.add(d.span!.start);
    diags.push(d);
  }
  const ast = builder.fileAst(cst);
  return { ast, diagnostics: finish([...diags, ...builder.diagnostics], abandoned), cst, tokens, comments };
}

/** Run the singleton parser over the tokens; errors come back sorted by position. */
function runParser(tokens: IToken[], eagerStatements: ((stmt: CstNode) => unknown) | undefined): { cst: CstNode; errors: IRecognitionException[]; abandoned: boolean } {
  try {
    parser.eagerStatements = eagerStatements;
    parser.input = tokens;
    const cst = parser.file();
    // after giving up, the errors at the (virtual) end of the input say nothing about the file
    const abandoned = parser.abandoned;
    const errors = parser.errors.filter((e) => !abandoned || Number.isFinite(e.token.startOffset));
    return { cst, errors: errors.sort((a, b) => offsetOf(a.token) - offsetOf(b.token)), abandoned };
  } finally {
    parser.input = []; // do not keep this file's tokens alive in the singleton
    parser.eagerStatements = undefined;
  }
}

function offsetOf(t: IToken): number {
  return Number.isFinite(t.startOffset) ? t.startOffset : Infinity;
}

/**
 * Offsets where a parse error would only repeat a lexical one: the bad token itself, or the first
 * token after a run of characters the lexer dropped.
 */
function shadowed(lexDiags: Diagnostic[], tokens: IToken[], length: number): Set<number> {
  const out = new Set<number>();
  for (const d of lexDiags) {
    out.add(d.span!.start);
    const i = firstTokenAt(tokens, d.span!.end);
    out.add(tokens[i]?.startOffset ?? length);
  }
  return out;
}

/** Whether a `;` or the start of an item (`use`, `block`, `network`) lies between two token indexes. */
function statementBetween(tokens: IToken[], from: number, to: number): boolean {
  for (let i = Math.max(from, 0); i < to && i < tokens.length; i++) {
    const t = tokens[i]!.tokenType;
    if (t === T.Semi || t === T.Block || t === T.Network || t === T.Use) return true;
  }
  return false;
}

/** Index of the first token starting at or after `offset`. */
function firstTokenAt(tokens: IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** E0005 for a file over the size limit, E0006 for a NUL byte or a lone surrogate. */
function checkText(text: string, file: string): Diagnostic | undefined {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > limits.maxSourceBytes) {
    return error('E0005', `file is too large: ${bytes} bytes, the limit is ${limits.maxSourceBytes}`,
      span(file, 0, 0), { help: 'split the file into several and join them with `use`' });
  }
  const bad = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  if (bad !== null) {
    const nul = bad[0] === '\0';
    const what = nul ? 'a NUL character' : 'an unpaired UTF-16 surrogate';
    return error('E0006', `source is not valid text: it contains ${what}`, span(file, bad.index, bad.index + 1),
      nul ? { notes: ['a .resdsl file is UTF-8 text; this looks like a binary file'] } : {});
  }
  return undefined;
}

function describeChar(text: string, offset: number): string {
  const cp = text.codePointAt(offset) ?? 0;
  const ch = String.fromCodePoint(cp);
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp > 0x20 && cp < 0x7f) return `\`${ch}\``;
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? `\`${ch}\` (${code})` : code;
}

function lexError(e: ILexingError, text: string, file: string): Diagnostic {
  const sp = span(file, e.offset, e.offset + e.length);
  const first = describeChar(text, e.offset);
  const single = e.length === 1 || (e.length === 2 && (text.codePointAt(e.offset) ?? 0) > 0xffff);
  const message = single ? `unexpected character ${first}` : `unexpected characters starting with ${first}`;
  const nonAscii = /[^\x00-\x7f]/.test(text.slice(e.offset, e.offset + e.length));
  const help = nonAscii ? 'names are made of ASCII letters, digits and `_`; other text belongs in comments' : undefined;
  return error('E0001', message, sp, help !== undefined ? { help } : {});
}

function retype(t: IToken, type: TokenType): IToken {
  return { ...t, tokenType: type, tokenTypeIdx: type.tokenTypeIdx ?? t.tokenTypeIdx };
}

/** Report malformed strings and numbers, and give the parser a well-formed token in their place. */
function fixToken(t: IToken, file: string, diags: Diagnostic[]): IToken {
  if (t.tokenType !== T.BadString && t.tokenType !== T.BadNumber) return t;
  const sp = span(file, t.startOffset, t.startOffset + t.image.length);
  if (t.tokenType === T.BadString) {
    diags.push(error('E0003', 'unterminated string', sp, { help: 'close the string with `"` on the same line' }));
    return retype(t, T.StringLit);
  }
  if (t.tokenType === T.BadNumber) {
    diags.push(error('E0004', numberProblem(t.image), sp,
      { help: 'integers are written like 25_557_032, other numbers like 0.5 or 1e-5' }));
    return retype(t, T.IntLit);
  }
  return t;
}

function numberProblem(image: string): string {
  if (/__|_$|_[.eE]|\._/.test(image)) return 'invalid number literal: `_` must stand between two digits';
  if (/[eE][+-]?$/.test(image)) return 'invalid number literal: the exponent has no digits';
  if (/\.$|\.[^0-9]/.test(image)) return 'invalid number literal: `.` must be followed by a digit';
  if (/^[0-9_]+[A-Za-z]/.test(image)) return 'invalid number literal: a name cannot start with a digit';
  return 'invalid number literal';
}

/** The first bracket nested deeper than limits.maxNesting, as E0402. */
function nestingError(tokens: IToken[], file: string): Diagnostic | undefined {
  const closers = new Set(T.openers.values());
  let depth = 0;
  for (const t of tokens) {
    if (T.openers.has(t.tokenType)) {
      depth++;
      if (depth > limits.maxNesting) {
        return error('E0402', `brackets nest too deeply (more than ${limits.maxNesting} levels)`,
          span(file, t.startOffset, t.startOffset + t.image.length),
          { help: 'split the nested part into a separate block' });
      }
    } else if (closers.has(t.tokenType) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function tokenSpan(t: IToken, text: string, file: string): Span {
  if (t.tokenType === EOF || !Number.isFinite(t.startOffset)) return span(file, text.length, text.length);
  return span(file, t.startOffset, t.startOffset + t.image.length);
}

function parseError(e: IRecognitionException, tokens: IToken[], text: string, file: string): Diagnostic {
  const sp = tokenSpan(e.token, text, file);
  const labels: Label[] = [];
  const m = /^expected `([>)\]}])` to close the ([a-z ]+),/.exec(e.message);
  if (m !== null) {
    const opener = findOpener(tokens, sp.start, m[1]!);
    if (opener !== undefined) labels.push({ span: tokenSpan(opener, text, file), message: `the ${m[2]} opened here` });
  }
  const t = e.token.tokenType;
  const kw = T.keywordTokens.includes(t) && ![T.Block, T.Network, T.Use].includes(t) ? e.token.image : undefined;
  const help = kw !== undefined && /a name|close the (parameter|argument) list/.test(e.message)
    ? `\`${kw}\` is a keyword and cannot be used as a name`
    : afterConditionOperator(e.token, tokens) ? 'in a condition, `+` and `*` join layers (`X if c + Y`); put arithmetic in parentheses: `if (n + 1 > 2)`'
    : undefined;
  return error('E0002', e.message, sp, help !== undefined ? { labels, help } : { labels });
}

/** Whether `t` follows a `+` or `*` that ended a condition earlier on its line (`X if n + 1 > 2`). */
function afterConditionOperator(t: IToken, tokens: IToken[]): boolean {
  const i = tokens.indexOf(t);
  if (i < 2 || !tokenMatcher(tokens[i - 1]!, T.CombineOperator)) return false;
  for (let j = i - 2; j >= 0 && tokens[j]!.startLine === t.startLine; j--) if (tokens[j]!.tokenType === T.If) return true;
  return false;
}

/** The innermost unclosed opening bracket for `closer` before `offset`. */
function findOpener(tokens: IToken[], offset: number, closer: string): IToken | undefined {
  const pair = [...T.openers].find(([, c]) => T.spellingOf(c) === closer);
  if (pair === undefined) return undefined;
  const [open, close] = pair;
  let depth = 0;
  for (let i = firstTokenAt(tokens, offset) - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.tokenType === close) depth++;
    else if (t.tokenType === open && depth-- === 0) return t;
  }
  return undefined;
}

/**
 * Sort, and keep at most maxSyntaxErrors syntax errors (the rest are likely follow-on errors); the
 * last one kept says so, as it does when the parser gave up (grammar.ts, maxParseErrors).
 */
function finish(diags: Diagnostic[], abandoned = false): Diagnostic[] {
  const sorted = sortDiagnostics(diags);
  const syntax = new Set(['E0001', 'E0002', 'E0003', 'E0004']);
  const out: Diagnostic[] = [];
  let n = 0;
  for (const d of sorted) {
    if (syntax.has(d.code) && ++n > maxSyntaxErrors) continue;
    out.push(d);
  }
  const last = out.filter((d) => syntax.has(d.code)).pop();
  if ((n > maxSyntaxErrors || abandoned) && last !== undefined) last.notes.push('further syntax errors are not shown');
  return out;
}
