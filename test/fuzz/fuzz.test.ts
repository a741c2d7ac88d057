/**
 * The compiler survives any input: generated programs, mutated examples and mutated generated
 * programs go through check, summary and compile (exercise.ts: exit codes, no stack traces, no
 * internal errors, a time bound, nothing written on failure, agreement between the commands);
 * what compiles loads and runs in onnxruntime-node with its declared output shapes; programs the
 * generator vouches for pass every command with the types it computes. Fixed seeds and modest
 * counts: `npm run fuzz` runs the same properties for longer, with any seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exercise, report } from './exercise.js';
import { programArb } from './gen/program.js';
import { contractProblems, describeOutcome, viaBinary } from './harness.js';
import { flagsArb, loadBases } from './inputs.js';
import { mutantArb } from './mutate.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const seed = 20_260_501;
const bases = loadBases();

describe('generated programs', () => {
  it('keep the contract in every command; valid ones compile to ONNX that onnxruntime runs', async () => {
    let sure = 0;
    let compiled = 0;
    await fc.assert(
      fc.asyncProperty(programArb, flagsArb, fc.boolean(), async (p, flags, run) => {
        const r = await exercise(p.text, { ...flags, ort: true, run, program: p });
        expect(r.problems, report(p.text, r)).toEqual([]);
        if (p.sure) sure++;
        if (r.compiled) compiled++;
      }),
      { seed, numRuns: 160 },
    );
    // the generator is mostly valid: a generator that only made errors would test little
    expect(sure).toBeGreaterThan(100);
    expect(compiled).toBeGreaterThan(100);
  });
});

describe('mutated inputs', () => {
  it('mutants of the examples and std/resnet keep the contract', async () => {
    await fc.assert(
      fc.asyncProperty(mutantArb(bases.map((b) => b.text)), flagsArb, async (m, flags) => {
        const r = await exercise(m.bytes, { ...flags, ort: true, compile: bases[m.base]!.small });
        expect(r.problems, `${bases[m.base]!.file}: ${m.how.join('; ')}\n${report(m.bytes, r)}`).toEqual([]);
      }),
      { seed, numRuns: 250 },
    );
  });

  it('mutants of generated programs keep the contract', async () => {
    const arb = programArb.chain((p) => mutantArb([p.text]));
    await fc.assert(
      fc.asyncProperty(arb, flagsArb, async (m, flags) => {
        const r = await exercise(m.bytes, { ...flags, ort: true });
        expect(r.problems, `${m.how.join('; ')}\n${report(m.bytes, r)}`).toEqual([]);
      }),
      { seed, numRuns: 250 },
    );
  });
});

describe('the built binary', () => {
  it('keeps the contract on a few generated and mutated inputs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-fuzz-bin-'));
    try {
      const programs = fc.sample(programArb, { seed, numRuns: 2 }).map((p) => new TextEncoder().encode(p.text));
      const mutants = fc.sample(mutantArb(bases.filter((b) => b.small).map((b) => b.text)), { seed, numRuns: 2 }).map((m) => m.bytes);
      for (const [i, bytes] of [...programs, ...mutants].entries()) {
        const file = path.join(dir, `in${i}.resdsl`);
        const out = path.join(dir, `out${i}.onnx`);
        fs.writeFileSync(file, bytes);
        const runs = [viaBinary(['check', file]), viaBinary(['summary', file]), viaBinary(['compile', file, '-o', out])];
        for (const o of runs) expect(contractProblems(o, 60_000), describeOutcome(o)).toEqual([]);
        expect(fs.existsSync(out)).toBe(runs[2]!.code === 0);
      }
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
