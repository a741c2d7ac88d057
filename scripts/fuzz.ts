/**
 * The longer fuzz run: `npm run fuzz -- --seed S --count N [--only gen|mutant|genmutant]`.
 * The same inputs and checks as test/fuzz/fuzz.test.ts (generated programs, mutants of the
 * examples and std/resnet, mutants of generated programs; every command, onnxruntime, the JS
 * executor), for as many inputs as asked and with any seed. Prints how many inputs it tried and
 * every failure, and saves each failing input in test/fuzz/corpus/ (where corpus.test.ts runs it
 * until the bug is fixed). Exit code 1 when anything failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { exercise, report, slowest, type ExerciseOptions } from '../test/fuzz/exercise.js';
import { programArb } from '../test/fuzz/gen/program.js';
import { flagsArb, loadBases } from '../test/fuzz/inputs.js';
import { mutantArb } from '../test/fuzz/mutate.js';
import { progress } from '../src/node/progress.js';

const { values } = parseArgs({
  options: { seed: { type: 'string' }, count: { type: 'string' }, only: { type: 'string' }, quiet: { type: 'boolean' } },
});
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
const count = Number(values.count ?? 2000);
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(count) || count < 1) {
  console.error('usage: npm run fuzz -- [--seed S] [--count N] [--only gen|mutant|genmutant] [--quiet]');
  process.exit(2);
}

interface Input {
  kind: 'gen' | 'mutant' | 'genmutant';
  bytes: Uint8Array;
  opts: ExerciseOptions;
  what: string;
}

const bases = loadBases();
const kinds = (values.only?.split(',') ?? ['gen', 'mutant', 'genmutant']) as Input['kind'][];
const per = Math.ceil(count / kinds.length);
const enc = new TextEncoder();

function inputs(kind: Input['kind'], k: number): Input[] {
  const s = seed + k;
  const flags = fc.sample(flagsArb, { seed: s, numRuns: per });
  if (kind === 'gen')
    return fc.sample(programArb, { seed: s, numRuns: per }).map((p, i) => ({
      kind,
      bytes: enc.encode(p.text),
      opts: { ...flags[i], ort: true, run: i % 2 === 0, program: p },
      what: p.sure ? 'a valid generated program' : 'a generated program',
    }));
  if (kind === 'mutant')
    return fc.sample(mutantArb(bases.map((b) => b.text)), { seed: s, numRuns: per }).map((m, i) => ({
      kind,
      bytes: m.bytes,
      opts: { ...flags[i], ort: true },
      what: `${bases[m.base]!.file}: ${m.how.join('; ')}`,
    }));
  return fc.sample(programArb.chain((p) => mutantArb([p.text])), { seed: s, numRuns: per }).map((m, i) => ({
    kind,
    bytes: m.bytes,
    opts: { ...flags[i], ort: true },
    what: `a generated program: ${m.how.join('; ')}`,
  }));
}

const corpus = path.join(import.meta.dirname, '..', 'test', 'fuzz', 'corpus');
const all = kinds.flatMap((k, i) => inputs(k, i)).slice(0, count);
const t0 = performance.now();
const tried = new Map<string, number>();
let failures = 0;
let compiled = 0;
let slow = 0;
/** Slower than this is worth a line in the log (not a failure: the harness's bounds are far higher). */
const SLOW_MS = 5_000;
// on a terminal, a progress line under the log (nothing more in a pipe or a file)
const bar = progress('fuzz', { stream: process.stdout, delayMs: 0 });
const log = console.log;
console.log = (...xs: unknown[]) => bar.interrupt(() => log(...xs));
for (const [i, input] of all.entries()) {
  bar.update(i, all.length, `${failures} failure${failures === 1 ? '' : 's'}, input`);
  const r = await exercise(input.bytes, input.opts);
  tried.set(input.kind, (tried.get(input.kind) ?? 0) + 1);
  if (r.compiled) compiled++;
  if (slowest(r) > SLOW_MS) {
    slow++;
    console.log(`slow: input ${i} (${input.what}): ${r.outcomes.map((o) => `${o.argv[0]} ${Math.round(o.ms)} ms`).join(', ')}`);
  }
  if (r.problems.length) {
    failures++;
    const file = path.join(corpus, `fuzz-${seed}-${input.kind}-${i}.resdsl`);
    fs.writeFileSync(file, input.bytes);
    console.log(`\nFAILURE ${failures} (input ${i}, ${input.what}), saved as ${path.relative(process.cwd(), file)}\n${report(input.bytes, r)}`);
  }
  if (!values.quiet && (i + 1) % 250 === 0) console.log(`${i + 1} inputs, ${failures} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
bar.done();
const secs = ((performance.now() - t0) / 1000).toFixed(1);
console.log(
  `\nresdsl fuzz: seed ${seed}: tried ${all.length} inputs (${[...tried].map(([k, n]) => `${n} ${k}`).join(', ')}; ${compiled} compiled; ${slow} slower than ${SLOW_MS / 1000} s) in ${secs} s: ${failures} failure${failures === 1 ? '' : 's'}`,
);
process.exitCode = failures ? 1 : 0;
