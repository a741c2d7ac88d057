/**
 * chevrotain. In Node it is loaded from its single-file ESM bundle (lib/chevrotain.mjs, shipped in
 * the package): the package's entry point imports lodash-es as hundreds of small modules, which
 * costs about 0.4 s at every start of the command, and the bundle loads in a few milliseconds. A
 * bundler (the playground's) takes the package as it is. Types come from the package itself. No
 * Node module is imported: the parser runs in a browser unchanged.
 */
import type * as Chevrotain from 'chevrotain';

const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const chevrotain = (
  inNode ? await import(/* @vite-ignore */ new URL('../chevrotain.mjs', import.meta.resolve('chevrotain')).href) : await import('chevrotain')
) as typeof Chevrotain;

export const { createToken, Lexer, CstParser, EOF, tokenMatcher, createSyntaxDiagramsCode } = chevrotain;
