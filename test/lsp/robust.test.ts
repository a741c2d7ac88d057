/**
 * The language server's features never fail on a document: generated programs, syntax-only
 * programs with comments everywhere and mutants of the examples (broken on purpose), each asked
 * every request at many positions, in process (server.test.ts does a few through the process).
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lsp/analysis.js';
import { completions, signatureHelp } from '../../src/lsp/complete.js';
import { diagnosticsByUri } from '../../src/lsp/diagnostics.js';
import { hover } from '../../src/lsp/hover.js';
import { definition, documentSymbols, references, symbolKeyAt } from '../../src/lsp/navigate.js';
import { quickFixes } from '../../src/lsp/actions.js';
import { rename, renameTarget } from '../../src/lsp/rename.js';
import { texts } from './inputs.js';

const seed = 20_261_130;
const file = path.resolve('test/lsp/fuzz-doc.resdsl');

/** Every feature at `offsets` of `text`; throws if any does. */
function exercise(text: string, offsets: number[]): void {
  const a = analyze(file, 1, text, () => undefined);
  expect(a.internal).toBeUndefined();
  diagnosticsByUri(a);
  if (a.program?.root) documentSymbols(a.program.root.ast, text);
  for (const o of offsets) {
    hover(a, o);
    definition(a, o);
    const key = symbolKeyAt(a, o);
    if (key !== undefined) references([a], key, true);
    quickFixes(a, o, o + 5);
    const t = renameTarget(a, o);
    if (t.ok) rename(a, t.key, 'renamed_name', [a], (p) => (p === file ? text : undefined));
    completions(a, text, o, ['resnet']);
    signatureHelp(a, text, o);
  }
}

const offsetsArb = (text: string) => fc.array(fc.nat({ max: Math.max(0, text.length) }), { minLength: 3, maxLength: 12 });

describe('the language server on any document', () => {
  it('answers every request at any position, in process', () => {
    fc.assert(
      fc.property(
        texts.chain((t) => offsetsArb(t).map((o) => [t, [0, t.length, ...o]] as const)),
        ([text, offsets]) => exercise(text, offsets),
      ),
      { seed, numRuns: 250 },
    );
  });
});
