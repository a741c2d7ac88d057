/**
 * chevrotain, loaded from its single-file ESM bundle (lib/chevrotain.mjs, shipped in the package).
 * The package's entry point imports lodash-es as hundreds of small modules, which costs about a
 * second at every start of the command; the bundle loads in a few tens of milliseconds. Types
 * still come from the package itself.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

const entry = createRequire(import.meta.url).resolve('chevrotain'); // .../chevrotain/lib/src/api.js
const bundle = pathToFileURL(path.join(path.dirname(entry), '..', 'chevrotain.mjs')).href;
const chevrotain = (await import(bundle)) as typeof Chevrotain;

export const { createToken, Lexer, CstParser, EOF, tokenMatcher, createSyntaxDiagramsCode } = chevrotain;
