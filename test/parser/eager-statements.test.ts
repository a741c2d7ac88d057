// The parser builds each statement's AST as soon as it is parsed when only the AST is wanted
// (parseSource), and keeps the whole CST for the formatter (parseDetailed). Both give the same AST
// and diagnostics, for the examples and for broken and generated inputs (recovery included).
import fc from 'fast-check';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDetailed, parseSource } from '../../src/parser/parse.js';
import { programArb } from '../fuzz/gen/program.js';
import { loadBases } from '../fuzz/inputs.js';
import { mutantArb } from '../fuzz/mutate.js';

const same = (text: string) => {
  const whole = parseDetailed(text, 'f.resdsl');
  expect(parseSource(text, 'f.resdsl')).toEqual({ ast: whole.ast, diagnostics: whole.diagnostics });
};

describe('statements built while parsing', () => {
  it('give the AST and diagnostics of the whole CST, for the examples and std', () => {
    for (const dir of ['examples', 'std']) for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.resdsl'))) same(fs.readFileSync(`${dir}/${f}`, 'utf8'));
  });

  it('and for mutated examples (syntax errors, recovery) and generated programs', () => {
    const bases = loadBases().filter((b) => b.small).map((b) => b.text);
    fc.assert(fc.property(mutantArb(bases), (m) => same(new TextDecoder().decode(m.bytes))), { seed: 20261130, numRuns: 300 });
    fc.assert(fc.property(programArb, (p) => same(p.text)), { seed: 20261130, numRuns: 100 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => same(`network n {\n${s}\n}\n`)), { seed: 20261130, numRuns: 300 });
  });
});
