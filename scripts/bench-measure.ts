/**
 * Measuring a whole `node` process, as the benchmarks do: wall time from spawn to exit, the
 * child's peak resident memory (VmHWM) and CPU time (its main thread's and the whole process's;
 * printed at exit by peak-child.mjs), as medians of runs after one warm-up run (which fills the
 * file cache).
 */
import { spawnSync } from 'node:child_process';

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

export interface Measured {
  ms: number;
  peak: number;
  /** CPU ms of the main thread alone: what a busy machine does not stretch (NaN where /proc does not say). */
  mainCpuMs: number;
  /** CPU ms of the whole process, every thread (V8's garbage collection and compiler threads among them). */
  cpuMs: number;
}

/**
 * One run of `node [script, ...args]`, with `env` added to the environment: wall ms, peak RSS
 * bytes, CPU ms of its main thread and of the whole process; throws when it fails.
 */
export function measureOnce(args: readonly string[], env: NodeJS.ProcessEnv = {}): Measured {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['scripts/peak-child.mjs', ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, ...env } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`failed (exit ${r.status}): node ${args.join(' ')}\n${r.stderr}`);
  const m = /peak-rss-bytes (\d+)/.exec(r.stderr);
  const cpu = /main-thread-cpu-ms (\d+)/.exec(r.stderr);
  const all = /process-cpu-ms (\d+)/.exec(r.stderr);
  return { ms, peak: m ? Number(m[1]) : NaN, mainCpuMs: cpu ? Number(cpu[1]) : NaN, cpuMs: all ? Number(all[1]) : NaN };
}

/** The medians of `runs` runs after a warm-up. */
export function measure(args: readonly string[], runs: number): Measured & { runs: number } {
  measureOnce(args);
  const xs = Array.from({ length: runs }, () => measureOnce(args));
  const m = (f: (x: Measured) => number) => median(xs.map(f));
  return { ms: m((x) => x.ms), peak: m((x) => x.peak), mainCpuMs: m((x) => x.mainCpuMs), cpuMs: m((x) => x.cpuMs), runs };
}
