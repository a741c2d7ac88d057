/**
 * One fuzz input through every command: `check`, `summary` and `compile -o` in a fresh folder,
 * each keeping the run contract (harness.ts); the three agree with each other; compile writes
 * exactly its output on success and nothing at all on failure (no partial file, no temporary
 * file left); a compiled model loads and runs in onnxruntime-node; and a program the generator
 * vouches for passes every command with the output types it computes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GenProgram } from './gen/program.js';
import { COMPILE_HANG_MS, contractProblems, describeOutcome, inProcess, type Outcome } from './harness.js';
import { ortProblems } from './ort-check.js';

export interface ExerciseOptions {
  /** `--shortcut` for all three commands (default: none, so B). */
  shortcut?: 'A' | 'B' | 'C';
  /** Run compile (default true; off for mutants of the big examples, whose compile takes seconds). */
  compile?: boolean;
  /** More flags for compile (`--no-fuse`, `--verify`, `--opset 13`, `--seed 5`). */
  compileFlags?: string[];
  /** Load and run the compiled model in onnxruntime-node. */
  ort?: boolean;
  /** Also `run` it in the JS executor and in onnxruntime, and compare. */
  run?: boolean;
  /** What the generator knows of the program. */
  program?: GenProgram;
  /** The known outcome (corpus files): 0, every command succeeds; 1, check fails with these codes. */
  expect?: { exit: 0 } | { exit: 1; codes: string[] };
}

export interface ExerciseResult {
  problems: string[];
  outcomes: Outcome[];
  /** Whether compile succeeded. */
  compiled: boolean;
}

/** The longest command of a result, in milliseconds. */
export const slowest = (r: ExerciseResult): number => Math.max(0, ...r.outcomes.map((o) => o.ms));

/** The largest model run in onnxruntime and the JS executor. */
const RUNNABLE_BYTES = 4 * 2 ** 20;

/** Files left in `dir`, recursively, relative to it. */
function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

function summaries(o: Outcome): { name: string; shape: number[]; mean: number }[] | undefined {
  try {
    return (JSON.parse(o.out) as { outputs: { name: string; shape: number[]; mean: number }[] }).outputs;
  } catch {
    return undefined;
  }
}

/** `run` of the source in the JS executor and in onnxruntime (they must agree), and of the written model read back. */
async function runBoth(file: string, model: string, sc: string[]): Promise<{ outcomes: Outcome[]; problems: string[] }> {
  const js = await inProcess(['run', file, '--json', '--seed', '3', ...sc]);
  const rt = await inProcess(['run', file, '--json', '--seed', '3', '--runtime', 'ort', ...sc]);
  const back = await inProcess(['run', model, '--json', '--seed', '3']);
  const outcomes = [js, rt, back];
  const problems = outcomes.flatMap((o) => contractProblems(o, COMPILE_HANG_MS));
  // onnxruntime-common fetches outputs through a plain object: one named __proto__ is lost there,
  // which run reports (E0804); the JS executor must still run it
  const lost = /error\[E0804\]: onnxruntime failed: (At least one output should be requested|no output named '__proto__')/;
  if (rt.code === 1 && lost.test(rt.err) && /"name": "__proto__"/.test(js.out))
    return { outcomes, problems: js.code === 0 && back.code === 0 ? problems : [...problems, `run: exit ${js.code} (js), ${back.code} (the written model)`] };
  if (outcomes.some((o) => o.code !== 0))
    return { outcomes, problems: [...problems, `run: exit ${js.code} (js), ${rt.code} (ort), ${back.code} (the written model) for a compiled model`] };
  const a = summaries(js);
  const b = summaries(rt);
  const shapes = (x: typeof a) => JSON.stringify(x?.map((o) => o.shape));
  if (!a || !b || shapes(a) !== shapes(b) || shapes(a) !== shapes(summaries(back)))
    problems.push(`run: outputs differ in shape: ${shapes(a)} (js), ${shapes(b)} (ort), ${shapes(summaries(back))} (the written model)`);
  else
    a.forEach((o, i) => {
      const m = b[i]!.mean;
      if (!(Math.abs(o.mean - m) <= 1e-3 * Math.max(1, Math.abs(m)))) problems.push(`run: output ${o.name} has mean ${o.mean} in js, ${m} in ort`);
    });
  return { outcomes, problems };
}

export async function exercise(source: string | Uint8Array, opts: ExerciseOptions = {}): Promise<ExerciseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-fuzz-'));
  try {
    const file = path.join(dir, 'in.resdsl');
    fs.writeFileSync(file, source);
    const outDir = path.join(dir, 'out');
    fs.mkdirSync(outDir);
    const model = path.join(outDir, 'model.onnx');
    const sc = opts.shortcut ? ['--shortcut', opts.shortcut] : [];
    const check = await inProcess(['check', file, ...sc]);
    const summary = await inProcess(['summary', file, ...sc]);
    const outcomes = [check, summary];
    const known: string[] = [];
    if (opts.expect?.exit === 1 && (check.code !== 1 || opts.expect.codes.some((c) => !check.err.includes(`error[${c}]`))))
      known.push(`check: expected exit 1 with ${opts.expect.codes.join(', ')}, got exit ${check.code}`);
    if (opts.compile === false) return { problems: [...outcomes.flatMap((o) => contractProblems(o)), ...known], outcomes, compiled: false };
    const compile = await inProcess(['compile', file, '-o', model, ...sc, ...(opts.compileFlags ?? [])]);
    outcomes.push(compile);
    const problems = [...contractProblems(check), ...contractProblems(summary), ...contractProblems(compile, COMPILE_HANG_MS), ...known];
    if (opts.expect?.exit === 0 && outcomes.some((o) => o.code !== 0)) problems.push(`expected every command to succeed: exits ${outcomes.map((o) => o.code).join(', ')}`);
    const written = listFiles(outDir);
    if (compile.code === 0 && !written.includes('model.onnx')) problems.push('compile: exit 0 but no model.onnx');
    if (compile.code === 0 && written.some((f) => f !== 'model.onnx' && f !== 'model.onnx.data')) problems.push(`compile: left ${written.join(', ')}`);
    if (compile.code !== 0 && written.length) problems.push(`compile: failed but wrote ${written.join(', ')}`);
    const left = listFiles(dir).filter((f) => f !== 'in.resdsl' && !f.startsWith('out'));
    if (left.length) problems.push(`files left next to the input: ${left.join(', ')}`);
    if (summary.code !== compile.code) problems.push(`summary exits ${summary.code} but compile exits ${compile.code}`);
    // summary and compile skip `expect` lines; check reports them
    const checkCodes = [...check.err.matchAll(/error\[(E\d{4})\]/g)].map((m) => m[1]!);
    if (summary.code === 0 && check.code !== 0 && !checkCodes.every((c) => c.startsWith('E03')))
      problems.push(`summary exits 0 but check exits ${check.code} with ${checkCodes.join(', ')}`);
    if (opts.program?.sure && (check.code !== 0 || summary.code !== 0 || compile.code !== 0))
      problems.push(`a valid program fails: check ${check.code}, summary ${summary.code}, compile ${compile.code}`);
    // a model of 100,000 layers (a mutant's `x 100000`, within the limits) is valid, but onnxruntime
    // takes minutes to load it: the runtimes only see models of a reasonable size
    const runnable = compile.code === 0 && fs.statSync(model).size <= RUNNABLE_BYTES;
    if (runnable && opts.ort) problems.push(...(await ortProblems(model, opts.program?.sure ? opts.program.outputs : undefined)));
    if (runnable && opts.run) {
      const r = await runBoth(file, model, sc);
      outcomes.push(...r.outcomes);
      problems.push(...r.problems);
    }
    return { problems, outcomes, compiled: compile.code === 0 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A failure message: the problems, the input, and what each command printed. */
export function report(source: string | Uint8Array, r: ExerciseResult): string {
  const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
  return `${r.problems.join('\n')}\n--- input\n${text.length > 3000 ? `${text.slice(0, 3000)}...` : text}\n${r.outcomes.map(describeOutcome).join('\n')}`;
}
