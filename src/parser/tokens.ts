/**
 * The tokens of resdsl, in lexer order (chevrotain takes the first pattern that matches, so
 * keywords come before Ident and `==` before `=`). Keywords carry `longer_alt: Ident` so that
 * `x0` or `blocks` lex as names. Number and string tokens come with "bad" twins that match
 * malformed literals whole; parse.ts reports those (E0003, E0004) and turns them into good tokens
 * so that parsing goes on without a second, confusing error.
 */
import { type CustomPatternMatcherReturn, type Lexer as LexerInstance, type TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

/** A run that looks like a number: a digit, then letters, digits, `_`, `.`, and a sign after `e`. */
const numberLike = /[0-9](?:[0-9A-Za-z_.]|(?<=[eE])[+-])*/y;
/** Digit groups with single `_` separators: `25_557_032`. */
export const intRe = /^[0-9]+(?:_[0-9]+)*$/;
/** `0.5`, `1_000.25e-3`, `1e-5`. */
export const floatRe = /^[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)$/;

function numberMatcher(accept: (image: string) => boolean) {
  return (text: string, offset: number): CustomPatternMatcherReturn | null => {
    numberLike.lastIndex = offset;
    const m = numberLike.exec(text);
    if (m === null || !accept(m[0])) return null;
    return [m[0]];
  };
}

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/**
 * `# ...` to the end of the line. Kept in their own group (the parser never sees them) so that the
 * formatter can put them back and the language server can read a block's documentation comment.
 */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });

export const StringLit = createToken({ name: 'StringLit', label: 'STRING', pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/ });
/** A string that reaches the end of its line without a closing quote (E0003). */
export const BadString = createToken({ name: 'BadString', pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/ });

export const FloatLit = createToken({
  name: 'FloatLit',
  label: 'FLOAT',
  pattern: { exec: numberMatcher((s) => floatRe.test(s)) },
  line_breaks: false,
  start_chars_hint: digits,
});
export const IntLit = createToken({
  name: 'IntLit',
  label: 'INT',
  pattern: { exec: numberMatcher((s) => intRe.test(s)) },
  line_breaks: false,
  start_chars_hint: digits,
});
/** Anything number-like that is neither an int nor a float: `1__0`, `1e`, `3x` (E0004). */
export const BadNumber = createToken({
  name: 'BadNumber',
  pattern: { exec: numberMatcher(() => true) },
  line_breaks: false,
  start_chars_hint: digits,
});

export const Ident = createToken({ name: 'Ident', label: 'IDENT', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** A keyword; its label is its spelling in quotes, as in the EBNF and the diagrams. */
function keyword(word: string, name: string, ...categories: TokenType[]): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Ident, label: `'${word}'`, ...(categories.length ? { categories } : {}) });
}

/** A punctuation token spelled `text`, labelled like a keyword, optionally in a category (an operator class). */
function punct(name: string, text: string, ...categories: TokenType[]): TokenType {
  const pattern = new RegExp(text.replace(/[(){}[\]+*/]/g, '\\$&'));
  return createToken({ name, pattern, label: `'${text}'`, ...(categories.length ? { categories } : {}) });
}

/** An operator class (chevrotain's token category): the grammar consumes the class, the tree keeps the token. */
function category(name: string, label: string): TokenType {
  return createToken({ name, pattern: Lexer.NA, label });
}

/** Operators of arithmetic and comparison, one class: the tree keeps them in order and cst-to-expr.ts applies their precedence. */
export const BinaryOperator = category('BinaryOperator', 'an operator');
/** `and`, `or`. */
export const LogicalOperator = category('LogicalOperator', '`and` or `or`');
/** `+` and `*` between layers: a residual sum and a gate's product. */
export const CombineOperator = category('CombineOperator', '`+` or `*`');

/** The source spelling of a keyword or punctuation token, from its label; undefined for others. */
export function spellingOf(t: TokenType): string | undefined {
  const l = t.LABEL;
  return l !== undefined && l.length > 2 && l.startsWith("'") ? l.slice(1, -1) : undefined;
}

export const Block = keyword('block', 'Block');
export const Network = keyword('network', 'Network');
export const Use = keyword('use', 'Use');
export const Input = keyword('input', 'Input');
export const Output = keyword('output', 'Output');
export const Expect = keyword('expect', 'Expect');
export const With = keyword('with', 'With');
export const First = keyword('first', 'First');
export const True = keyword('true', 'True');
export const False = keyword('false', 'False');
/** `x`, the repetition keyword: `basic(64) x 2`. */
export const Times = keyword('x', 'Times', Ident);
export const As = keyword('as', 'As');
export const If = keyword('if', 'If');
export const Else = keyword('else', 'Else');
export const And = keyword('and', 'And', LogicalOperator);
export const Or = keyword('or', 'Or', LogicalOperator);
export const Not = keyword('not', 'Not');

/** Keywords in source spelling, for editors (the TextMate grammar is checked against this list). */
export const keywordTokens: readonly TokenType[] = [
  Block, Network, Use, Input, Output, Expect, With, First, True, False, Times, As, If, Else, And, Or, Not,
];

export const EqEq = punct('EqEq', '==', BinaryOperator);
export const NotEq = punct('NotEq', '!=', BinaryOperator);
export const LtEq = punct('LtEq', '<=', BinaryOperator);
export const GtEq = punct('GtEq', '>=', BinaryOperator);
export const Eq = punct('Eq', '=');
/** `<` and `>` close paths and compare: in a condition, a comparison with them is told apart by what follows. */
export const LAngle = punct('LAngle', '<', BinaryOperator);
export const RAngle = punct('RAngle', '>', BinaryOperator);
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const Semi = punct('Semi', ';');
export const Comma = punct('Comma', ',');
export const Colon = punct('Colon', ':');
export const Plus = punct('Plus', '+', BinaryOperator, CombineOperator);
export const Minus = punct('Minus', '-', BinaryOperator);
export const Star = punct('Star', '*', BinaryOperator, CombineOperator);
export const SlashSlash = punct('SlashSlash', '//', BinaryOperator);
export const Slash = punct('Slash', '/', BinaryOperator);
export const Percent = punct('Percent', '%', BinaryOperator);

export const allTokens: TokenType[] = [
  WhiteSpace, Comment,
  StringLit, BadString,
  FloatLit, IntLit, BadNumber,
  ...keywordTokens,
  Ident,
  EqEq, NotEq, LtEq, GtEq, Eq, LAngle, RAngle, LParen, RParen, LBrace, RBrace, LBracket, RBracket,
  Semi, Comma, Colon, Plus, Minus, Star, SlashSlash, Slash, Percent,
  BinaryOperator, LogicalOperator, CombineOperator,
];

/** Opening and closing brackets, for the nesting pre-scan and for "opened here" labels. */
export const openers: ReadonlyMap<TokenType, TokenType> = new Map([
  [LAngle, RAngle], [LParen, RParen], [LBrace, RBrace], [LBracket, RBracket],
]);

/**
 * The lexer. `validate` runs chevrotain's checks of the token definitions and of its first-character
 * optimizations (about 15 ms of every command's start): the singleton skips them, and
 * test/parser/grammar-validation.test.ts builds a validated lexer.
 */
export function makeLexer({ validate = false }: { validate?: boolean } = {}): LexerInstance {
  return new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: validate, skipValidations: !validate });
}

export const lexer = makeLexer();
