/**
 * The resdsl grammar as one chevrotain CstParser (a singleton, reused for every file). Rule names
 * are the rule names of grammar/resdsl.ebnf, which a test checks. The parser only builds a CST;
 * cst-to-ast.ts gives it meaning. Error messages come from syntax-messages.ts.
 */
import type { CstNode, CstParser as CstParserInstance, IToken, TokenType } from 'chevrotain';
import { CstParser, tokenMatcher } from './chevrotain.js';
import type { BuiltStatement } from './cst-read.js';
import { messages } from './syntax-messages.js';
import * as T from './tokens.js';

/**
 * Chevrotain internals overridden below (stable since v4, not in its type declarations): the
 * reason package.json pins one exact chevrotain version. test/parser/chevrotain-internals.test.ts
 * fails on an upgrade that drops them or changes what they do.
 */
interface Internals {
  canRecoverWithSingleTokenInsertion(this: CstParserInstance, expected: TokenType, follows: TokenType[]): boolean;
  SAVE_ERROR(this: CstParserInstance, error: Error): Error;
  moveToTerminatedState?(this: CstParserInstance): void;
  cstPostNonTerminal(this: CstParserInstance, result: CstNode, ruleName: string): void;
}
const base = CstParser.prototype as unknown as Internals;

/**
 * After this many syntax errors the parser gives up (it jumps to the end of the input): each error
 * costs chevrotain about 0.2 ms of recovery, and a file of junk could otherwise take minutes.
 */
export const maxParseErrors = 1000;

export class ResdslParser extends CstParser {
  /**
   * `validate` runs chevrotain's grammar validations (ambiguities, left recursion, ...): about 20 ms
   * of every command's start, for a grammar that changes only with the code. The singleton skips
   * them; test/parser/grammar-validation.test.ts builds a validated parser.
   */
  constructor({ validate = false }: { validate?: boolean } = {}) {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      maxLookahead: 2,
      errorMessageProvider: messages,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  /**
   * Where both single-token repairs work, prefer deleting a stray token to inserting the expected
   * one: in `(in out) <...>`, drop `out` rather than read `out` as the block body. Chevrotain tries
   * insertion first; this overrides its (undocumented, stable since v4) insertion check.
   */
  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean {
    const deletionFits = tokenMatcher(this.LA(2), expected) && follows.some((f) => tokenMatcher(this.LA(3), f));
    return !deletionFits && base.canRecoverWithSingleTokenInsertion.call(this, expected, follows);
  }

  /**
   * Set while a file is parsed for its AST only (not for the formatter, which needs every token):
   * each statement's CST goes through this as soon as the statement is parsed, and only a stub of it
   * stays in the tree. The CST of a 10,000-line network then dies young, statement by statement,
   * instead of living until the whole file is parsed (the garbage collector copied it twice: about
   * 40% of the parse of such a file).
   */
  eagerStatements: ((stmt: CstNode) => unknown) | undefined;

  /** Chevrotain's hook that hangs a finished rule's CST under its parent's (internal, see above). */
  cstPostNonTerminal(result: CstNode, ruleName: string): void {
    const eager = this.eagerStatements;
    const kept = eager !== undefined && ruleName === 'stmt' && result !== undefined ? ({ name: 'stmt', children: {}, location: result.location, built: eager(result) } satisfies BuiltStatement) : result;
    base.cstPostNonTerminal.call(this, kept, ruleName);
  }

  private errorCount = 0;
  /** True when the last parse stopped early at maxParseErrors. */
  abandoned = false;

  override reset(): void {
    super.reset();
    this.errorCount = 0;
    this.abandoned = false;
  }

  SAVE_ERROR(error: Error): Error {
    const saved = base.SAVE_ERROR.call(this, error);
    if (++this.errorCount >= maxParseErrors && !this.abandoned) {
      this.abandoned = true;
      base.moveToTerminatedState?.call(this);
    }
    return saved;
  }

  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.use) },
      { ALT: () => this.SUBRULE(this.block) },
      { ALT: () => this.SUBRULE(this.network) },
    ]);
  });

  use = this.RULE('use', () => {
    this.CONSUME(T.Use);
    this.OR([{ ALT: () => this.CONSUME(T.StringLit) }, { ALT: () => this.SUBRULE(this.modpath) }]);
  });

  modpath = this.RULE('modpath', () => {
    this.CONSUME(T.Ident);
    this.MANY(() => {
      this.CONSUME(T.Slash);
      this.CONSUME2(T.Ident);
    });
  });

  block = this.RULE('block', () => {
    this.CONSUME(T.Block);
    this.CONSUME(T.Ident);
    this.SUBRULE(this.paramList);
    this.SUBRULE(this.blockBody);
  });

  blockBody = this.RULE('blockBody', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.body) },
      { ALT: () => { this.CONSUME(T.Eq); this.SUBRULE(this.layer); } },
      { ALT: () => this.SUBRULE2(this.layer) },
    ]);
  });

  network = this.RULE('network', () => {
    this.CONSUME(T.Network);
    this.CONSUME(T.Ident);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.OR([
      { ALT: () => { this.CONSUME(T.Eq); this.SUBRULE(this.call); this.OPTION2(() => this.SUBRULE(this.body)); } },
      { ALT: () => this.SUBRULE2(this.body) },
    ]);
  });

  body = this.RULE('body', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.stmt);
      this.OPTION(() => this.CONSUME(T.Semi));
    });
    this.CONSUME(T.RBrace);
  });

  paramList = this.RULE('paramList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  param = this.RULE('param', () => {
    this.CONSUME(T.Ident);
    this.OPTION(() => {
      this.CONSUME(T.Eq);
      this.SUBRULE(this.expr);
    });
  });

  stmt = this.RULE('stmt', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputStmt) },
      { ALT: () => this.SUBRULE(this.outputStmt) },
      { ALT: () => this.SUBRULE(this.expectStmt) },
      { ALT: () => this.SUBRULE(this.layer) },
    ]);
  });

  inputStmt = this.RULE('inputStmt', () => {
    this.CONSUME(T.Input);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.type);
  });

  outputStmt = this.RULE('outputStmt', () => {
    this.CONSUME(T.Output);
    this.CONSUME(T.Ident, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Eq);
      this.CONSUME2(T.Ident, { LABEL: 'source' });
    });
  });

  expectStmt = this.RULE('expectStmt', () => {
    this.CONSUME(T.Expect);
    this.OR([
      { ALT: () => { this.CONSUME(T.Ident, { LABEL: 'what' }); this.CONSUME(T.EqEq); this.SUBRULE(this.expr); } },
      {
        ALT: () => {
          this.CONSUME(T.Output);
          this.OPTION(() => this.CONSUME2(T.Ident, { LABEL: 'name' }));
          this.CONSUME2(T.EqEq);
          this.SUBRULE(this.type);
        },
      },
    ]);
  });

  // Layers. A statement is operands joined by `+` (a residual sum) and `*` (a gate's product; it
  // binds tighter, which cst-to-ast.ts applies); an operand is an optionally labelled repetition
  // or primary, optionally conditional (`X if c else Y`).

  layer = this.RULE('layer', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(T.CombineOperator);
      this.SUBRULE2(this.operand);
    });
  });

  operand = this.RULE('operand', () => {
    this.OPTION(() => {
      this.SUBRULE(this.label);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.repeat);
    this.OPTION2(() => {
      this.CONSUME(T.If);
      this.SUBRULE(this.expr, { ARGS: [false] });
      this.OPTION3(() => {
        this.CONSUME(T.Else);
        this.SUBRULE2(this.operand);
      });
    });
  });

  label = this.RULE('label', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Ident) }, { ALT: () => this.CONSUME(T.StringLit) }]);
  });

  repeat = this.RULE('repeat', () => {
    this.SUBRULE(this.primary);
    this.OPTION(() => {
      this.CONSUME(T.Times);
      this.SUBRULE(this.count);
      this.OPTION2(() => {
        this.CONSUME(T.As);
        this.CONSUME(T.Ident, { LABEL: 'index' });
      });
      this.OPTION3(() => {
        this.CONSUME(T.With);
        this.CONSUME(T.First);
        this.SUBRULE(this.argList);
      });
    });
  });

  count = this.RULE('count', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntLit) },
      { ALT: () => this.CONSUME(T.Ident) },
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.expr); this.CONSUME(T.RParen); } },
    ]);
  });

  primary = this.RULE('primary', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.path) }, { ALT: () => this.SUBRULE(this.call) }]);
  });

  path = this.RULE('path', () => {
    this.CONSUME(T.LAngle);
    this.MANY(() => {
      this.SUBRULE(this.layer);
      this.OPTION(() => this.CONSUME(T.Semi));
    });
    this.CONSUME(T.RAngle);
  });

  call = this.RULE('call', () => {
    this.CONSUME(T.Ident);
    this.OPTION(() => this.SUBRULE(this.argList));
  });

  argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  arg = this.RULE('arg', () => {
    this.OPTION(() => {
      this.CONSUME(T.Ident);
      this.CONSUME(T.Eq);
    });
    this.SUBRULE(this.expr);
  });

  // Expressions: operands joined by `and` / `or`, each an optional `not` and operands joined by
  // arithmetic and comparison operators. The tree keeps operands and operators in order;
  // cst-to-expr.ts applies their precedence (Python's). `angles` says whether `<` and `>` may
  // compare here: in a layer's condition (`X if c`) more operands may follow, so there `+` and `*`
  // end the condition and `<` and `>` compare only before a number, `-` or `(` (`if n > 2`);
  // inside parentheses anything goes (`if (a < b)`, `if (n + 1 > 2)`).

  expr = this.RULE('expr', (angles = true) => {
    this.SUBRULE(this.notExpr, { ARGS: [angles] });
    this.MANY(() => {
      this.CONSUME(T.LogicalOperator);
      this.SUBRULE2(this.notExpr, { ARGS: [angles] });
    });
  });

  notExpr = this.RULE('notExpr', (angles = true) => {
    this.OR([
      { ALT: () => { this.CONSUME(T.Not); this.SUBRULE(this.notExpr, { ARGS: [angles] }); } },
      { ALT: () => this.SUBRULE(this.arith, { ARGS: [angles] }) },
    ]);
  });

  arith = this.RULE('arith', (angles = true) => {
    this.SUBRULE(this.unary);
    this.MANY({
      GATE: () => angles || this.continuesCondition(),
      DEF: () => {
        this.CONSUME(T.BinaryOperator);
        this.SUBRULE2(this.unary);
      },
    });
  });

  /**
   * In a layer's condition the operand list goes on after the condition, so the operators that
   * also join layers end it: `+` and `*` always (`X if c + Y` is a sum of `X if c` and `Y`), `<`
   * and `>` unless a number, `-` or `(` follows. (Chevrotain's lookahead does not see that a
   * category's tokens overlap, so this is said here.)
   */
  private continuesCondition(): boolean {
    const next = this.LA(1);
    if (tokenMatcher(next, T.CombineOperator)) return false;
    if (tokenMatcher(next, T.LAngle) || tokenMatcher(next, T.RAngle)) return startsNumber(this.LA(2));
    return true;
  }

  unary = this.RULE('unary', () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.SUBRULE(this.atom);
  });

  atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntLit) },
      { ALT: () => this.CONSUME(T.FloatLit) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => { this.CONSUME(T.Ident); this.OPTION(() => this.SUBRULE(this.argList)); } },
      { ALT: () => { this.CONSUME(T.LParen); this.SUBRULE(this.expr); this.CONSUME(T.RParen); } },
    ]);
  });

  type = this.RULE('type', () => {
    this.CONSUME(T.Ident);
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expr);
      });
    });
    this.CONSUME(T.RBracket);
  });
}

/** Whether a token can only begin an expression, not a layer (after `<` or `>` in a condition). */
function startsNumber(t: IToken): boolean {
  return tokenMatcher(t, T.IntLit) || tokenMatcher(t, T.FloatLit) || tokenMatcher(t, T.Minus) || tokenMatcher(t, T.LParen);
}

/** The one parser instance. Set `parser.input`, call `parser.file()`, read `parser.errors`. */
export const parser = new ResdslParser();

/** The names of the grammar's rules, in definition order (the EBNF must define each). */
export function ruleNames(): string[] {
  return Object.keys(parser.getGAstProductions());
}
