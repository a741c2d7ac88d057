/**
 * The formatter's properties on every example and std file, on programs of the compiler's
 * generator and on syntax-only programs full of comments: formatting twice equals formatting once,
 * the syntax tree is unchanged, every comment is kept in order, and the program elaborates to the
 * same printed IR. Fixed seeds and modest counts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../src/fmt/index.js';
import { programArb } from '../fuzz/gen/program.js';
import { mutantArb } from '../fuzz/mutate.js';
import { comments, fmt, irOf, root, stdFiles, tree } from './helpers.js';
import { syntaxArb } from './syntax-gen.js';

const seed = 20_261_130;
const std = stdFiles();
const examples = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.resdsl'))
  .sort()
  .map((f) => ({ file: `examples/${f}`, text: fs.readFileSync(path.join(root, 'examples', f), 'utf8') }));
const formattedStd = new Map([...std].map(([k, v]) => [k, fmt(v)]));

/** The properties that hold for any file the formatter accepts. */
function checkFormatted(text: string): string {
  const once = fmt(text);
  expect(fmt(once), 'formatting twice differs from once').toBe(once);
  expect(tree(once), 'the syntax tree changed').toEqual(tree(text));
  expect(comments(once), 'comments were lost or reordered').toEqual(comments(text));
  expect(once.endsWith('\n') && !once.endsWith('\n\n')).toBe(true);
  expect(once).not.toMatch(/[ \t]+$/m);
  return once;
}

describe('the standard library and the examples', () => {
  it.each([...std.keys()])('std/%s: idempotent, same tree, same comments, same IR', (name) => {
    const text = std.get(name)!;
    const once = checkFormatted(text);
    expect(irOf(once, formattedStd)).toBe(irOf(text, std));
  });

  it.each(examples.map((e) => e.file))('%s: idempotent, same tree, same comments, same IR (with std formatted too)', (file) => {
    const text = examples.find((e) => e.file === file)!.text;
    const once = checkFormatted(text);
    const ir = irOf(text, std);
    expect(ir).not.toContain('errors:');
    expect(irOf(once, formattedStd)).toBe(ir);
  });
});

describe('generated programs', () => {
  it('keep their IR under formatting (the compiler generator)', () => {
    fc.assert(
      fc.property(programArb, fc.constantFrom('A' as const, 'B' as const, 'C' as const), (p, policy) => {
        const once = checkFormatted(p.text);
        expect(irOf(once, std, policy)).toBe(irOf(p.text, std, policy));
      }),
      { seed, numRuns: 150 },
    );
  });

  it('keep their tree and comments under formatting (every corner of the syntax, comments everywhere)', () => {
    fc.assert(
      fc.property(syntaxArb, (text) => {
        checkFormatted(text);
      }),
      { seed, numRuns: 400 },
    );
  });

  it('mutants of the examples: formatted when they parse, refused with diagnostics otherwise, never an exception', () => {
    const bases = [...examples.map((e) => e.text), ...std.values()];
    let formatted = 0;
    fc.assert(
      fc.property(mutantArb(bases), (m) => {
        const text = new TextDecoder().decode(m.bytes);
        const r = formatSource(text, 't.resdsl');
        if (r.ok) {
          formatted++;
          checkFormatted(text);
        } else expect(r.diagnostics.length).toBeGreaterThan(0);
      }),
      { seed, numRuns: 300 },
    );
    expect(formatted).toBeGreaterThan(10);
  });
});
