// The lexer and parser singletons skip chevrotain's validations (they cost every command's start);
// here both are built with them, so that a grammar or token change that breaks one fails a test.
import { describe, expect, it } from 'vitest';
import { ResdslParser } from '../../src/parser/grammar.js';
import { lexer, makeLexer } from '../../src/parser/tokens.js';

describe('grammar validation', () => {
  it('the lexer passes chevrotain\'s validations, with every first-character optimization possible', () => {
    // ensureOptimizations throws when a token pattern defeats the lexer's first-character lookup
    const validated = makeLexer({ validate: true });
    expect(validated.lexerDefinitionErrors).toEqual([]);
    const text = 'block res(in, out) <conv3(out); bn; relu> + shortcut  # note\n';
    const a = validated.tokenize(text);
    const b = lexer.tokenize(text);
    expect(a.errors).toEqual([]);
    expect(b.tokens.map((t) => [t.tokenType.name, t.image, t.startOffset])).toEqual(a.tokens.map((t) => [t.tokenType.name, t.image, t.startOffset]));
  });

  it('the parser passes chevrotain\'s grammar validations (no ambiguity, left recursion or duplicate rule)', () => {
    expect(() => new ResdslParser({ validate: true })).not.toThrow();
  });
});
