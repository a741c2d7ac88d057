/**
 * The regression corpus: every input that once broke the compiler (and a few edge cases), through
 * every command as the fuzz tests run them, with onnxruntime and the JS executor on what compiles.
 * A file's first line says its outcome: `# exit: 0` (every command succeeds) or `# exit: 1 CODE...`
 * (check fails with those codes). known.json lists the files that still fail, with the reason; they
 * run as `it.fails`, so a fix shows up as a failing test to move them back; crashes.json lists
 * those that crash the process, run through the binary instead. big.json holds inputs
 * too large to keep as files (hundreds of thousands of lines), as a head, a repeated part and a tail.
 * `npm run fuzz` saves the inputs it breaks the compiler with here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exercise, report, type ExerciseOptions } from './exercise.js';
import { contractProblems, describeOutcome, inProcess, viaBinary } from './harness.js';

const dir = path.join(import.meta.dirname, 'corpus');
const known = JSON.parse(fs.readFileSync(path.join(dir, 'known.json'), 'utf8')) as Record<string, string>;
const crashes = JSON.parse(fs.readFileSync(path.join(dir, 'crashes.json'), 'utf8')) as Record<string, string>;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.resdsl') && !crashes[f]).sort();

function expected(text: string): ExerciseOptions['expect'] {
  const m = /^# exit: ([01])((?: E\d{4})*)\s*$/m.exec(text.split('\n')[0] ?? '');
  if (!m) return undefined;
  return m[1] === '0' ? { exit: 0 } : { exit: 1, codes: m[2]!.trim().split(/\s+/).filter(Boolean) };
}

describe('the regression corpus', () => {
  it('holds files, and known.json and crashes.json name only files that exist', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const f of Object.keys(known)) expect(files).toContain(f);
    for (const f of Object.keys(crashes)) expect(fs.existsSync(path.join(dir, f))).toBe(true);
  });

  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dir, f));
    const test = known[f] ? it.fails : it;
    test(`${f}${known[f] ? ` (known failure: ${known[f]})` : ''}`, async () => {
      const r = await exercise(bytes, { ort: true, run: true, expect: expected(bytes.toString('utf8')) });
      expect(r.problems, report(bytes, r)).toEqual([]);
    });
  }
});

// (no suite while crashes.json is empty: vitest fails a suite without tests)
if (Object.keys(crashes).length > 0) describe('the inputs that crash the process (crashes.json)', () => {
  // Known failures, run through the binary with a small heap so that a crash is quick and
  // cannot take the test process with it: a fix shows up as a failing test, to move them back.
  for (const [f, reason] of Object.entries(crashes)) {
    it.fails(`${f} (known crash: ${reason})`, () => {
      const file = path.join(dir, f);
      // a folder of its own: a crashed compile leaves its temporary file next to the output
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-crash-'));
      try {
        for (const argv of [['check', file], ['compile', file, '-o', path.join(tmp, 'out.onnx')]]) {
          const o = viaBinary(argv, 30_000, ['--max-old-space-size=256']);
          expect(contractProblems(o, 30_000), describeOutcome(o).slice(0, 2000)).toEqual([]);
        }
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});

interface Big {
  name: string;
  bug: string;
  head: string;
  repeat: string;
  times: number;
  tail: string;
  commands: string[][];
  exit: 0 | 1;
}

describe('the large regression inputs', () => {
  const bigs = JSON.parse(fs.readFileSync(path.join(dir, 'big.json'), 'utf8')) as Big[];
  for (const b of bigs) {
    it(`${b.name}: ${b.bug}`, async () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-big-'));
      try {
        const file = path.join(tmp, 'big.resdsl');
        fs.writeFileSync(file, b.head + b.repeat.repeat(b.times) + b.tail);
        for (const c of b.commands) {
          const o = await inProcess([...c, file]);
          expect(contractProblems(o, 60_000), describeOutcome(o).slice(0, 3000)).toEqual([]);
          expect(o.code).toBe(b.exit);
        }
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});
