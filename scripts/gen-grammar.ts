/**
 * Writes grammar/diagrams.html: railroad diagrams of the chevrotain grammar, generated from the
 * parser itself so that they cannot drift from it (test/parser/grammar-files.test.ts regenerates
 * them and fails on a difference). Run: npx tsx scripts/gen-grammar.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSyntaxDiagramsCode } from '../src/parser/chevrotain.js';
import { parser } from '../src/parser/grammar.js';

export const diagramsPath = fileURLToPath(new URL('../grammar/diagrams.html', import.meta.url));

/** The HTML of the diagrams page (it loads chevrotain's diagram scripts from a CDN when viewed). */
export function diagramsHtml(): string {
  return createSyntaxDiagramsCode(parser.getSerializedGastProductions());
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(diagramsPath, diagramsHtml());
  console.log(`wrote ${diagramsPath}`);
}
