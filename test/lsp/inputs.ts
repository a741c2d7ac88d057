/** Documents for the language server's robustness tests: generated, syntax-only and mutated. */
import fc from 'fast-check';
import { programArb } from '../fuzz/gen/program.js';
import { loadBases } from '../fuzz/inputs.js';
import { mutantArb } from '../fuzz/mutate.js';
import { syntaxArb } from '../fmt/syntax-gen.js';

const bases = loadBases().map((b) => b.text);

export const texts = fc.oneof(
  programArb.map((p) => p.text),
  syntaxArb,
  mutantArb(bases).map((m) => new TextDecoder().decode(m.bytes)),
);
