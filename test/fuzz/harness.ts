/**
 * Running the CLI on hostile input and checking the contract every run keeps: exit 0, or 1 with
 * an error message (2 only for a wrong command line, which fuzz inputs never are); never 70,
 * never an exception out of main, never a stack trace or "internal error" in the output, and an
 * end within a generous time bound (a hang is what it catches, not slowness).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { main } from '../../src/cli/main.js';

/** The bound on one in-process run. Generous: fuzz inputs check in milliseconds; this catches hangs. */
export const HANG_MS = 15_000;

/**
 * The bound for compile and run, which may legitimately take long on a mutant within the limits:
 * `x 100000` of a conv is 100,000 layers, about 20 s to compile (60 s under memory pressure).
 */
export const COMPILE_HANG_MS = 180_000;

export const bin = path.resolve('bin/resdsl.js');

export interface Outcome {
  argv: string[];
  /** Exit code; null when the process was killed (timeout, signal). */
  code: number | null;
  out: string;
  err: string;
  ms: number;
  /** What escaped main() (it never should). */
  threw?: string;
}

/** Runs `main` in this process, as the binary does, capturing its output. */
export async function inProcess(argv: string[]): Promise<Outcome> {
  let out = '';
  let err = '';
  let code: number | null = null;
  let threw: string | undefined;
  const t0 = performance.now();
  try {
    code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  } catch (e) {
    threw = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  return { argv, code, out, err, ms: performance.now() - t0, ...(threw !== undefined ? { threw } : {}) };
}

/** Runs the built binary (`node [nodeArgs] bin/resdsl.js`), killed after `timeoutMs`. */
export function viaBinary(argv: string[], timeoutMs = 60_000, nodeArgs: string[] = []): Outcome {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...nodeArgs, bin, ...argv], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 2 ** 20 });
  return { argv, code: r.status, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? `\n[spawn: ${r.error.message}]` : ''}`, ms: performance.now() - t0 };
}

/** Everything wrong with one run; empty when it kept the contract. */
export function contractProblems(o: Outcome, boundMs = HANG_MS): string[] {
  const p: string[] = [];
  const all = `${o.out}\n${o.err}`;
  if (o.threw !== undefined) p.push(`an exception escaped main: ${o.threw.split('\n')[0]}`);
  if (o.code === null && o.threw === undefined) p.push('the process was killed (a hang or a crash)');
  if (o.code !== null && o.code !== 0 && o.code !== 1) p.push(`exit code ${o.code}`);
  if (/\n {4}at /.test(all)) p.push('a stack trace in the output');
  if (/internal error/i.test(all)) p.push('"internal error" in the output');
  if (/FATAL ERROR|Segmentation fault|Aborted/.test(all)) p.push('a fatal runtime error in the output');
  if (o.code === 1 && !/error\[E\d{4}\]|^resdsl: \S/m.test(all)) p.push('exit 1 without an error message');
  if (o.ms > boundMs) p.push(`took ${Math.round(o.ms)} ms (bound ${boundMs} ms)`);
  return p.map((m) => `${o.argv[0]}: ${m}`);
}

/** A short description of a run, for failure messages. */
export function describeOutcome(o: Outcome): string {
  const clip = (s: string) => (s.length > 1500 ? `${s.slice(0, 1500)}...` : s);
  return `$ resdsl ${o.argv.join(' ')}\nexit ${o.code} after ${Math.round(o.ms)} ms\n--- stdout\n${clip(o.out)}--- stderr\n${clip(o.err)}${o.threw ? `--- threw\n${o.threw}` : ''}`;
}
