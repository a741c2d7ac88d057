/**
 * Benchmark of `resdsl check`: the whole examples folder, and generated networks of 1,000 and
 * 10,000 residual blocks (each block its own line, so the parser works too). Prints medians
 * in-process and for the whole `node bin/resdsl.js check` process, and the growth ratio.
 * Target (issue 2): about linear growth; 10,000 blocks in under 2 s.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFile as frontEnd } from '../src/node/compile.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function generated(blocks: number): string {
  const lines = ['block res(in,out)<conv3;bn;relu;conv3;bn> + shortcut', 'network gen {', '  input image: f32[N, 16, 8, 8]'];
  for (let i = 0; i < blocks; i++) lines.push(`  res(${i % 3 === 2 ? 32 : 16})`);
  lines.push('  gap; flatten; fc(10)', '}');
  return lines.join('\n') + '\n';
}

function inProcess(file: string, text: string | undefined, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = frontEnd(file, text === undefined ? {} : { text });
    times.push(performance.now() - t0);
    if (r.diagnostics.length) throw new Error(`benchmark input has diagnostics: ${r.diagnostics[0]!.message}`);
  }
  return median(times);
}

function wholeProcess(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['bin/resdsl.js', 'check', ...args], { encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`check failed: ${r.stderr}`);
  }
  return median(times);
}

export function benchCheck(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-bench-'));
  console.log('## resdsl check (median ms)');
  const examples = fs.readdirSync('examples').filter((f) => f.endsWith('.resdsl')).map((f) => path.join('examples', f));
  const ex = median([0, 1, 2, 3, 4].map(() => examples.reduce((s, f) => s + inProcess(f, undefined, 1), 0)));
  console.log(`examples folder (${examples.length} files), in-process: ${ex.toFixed(1)} ms; whole process: ${wholeProcess(['examples'], 3).toFixed(0)} ms`);
  const rows: [number, number, number][] = [];
  for (const n of [1_000, 10_000]) {
    const text = generated(n);
    const file = path.join(dir, `gen${n}.resdsl`);
    fs.writeFileSync(file, text);
    inProcess(file, text, 1); // warm-up
    const t = inProcess(file, text, n > 5000 ? 5 : 9);
    const w = wholeProcess([file], 3);
    rows.push([n, t, w]);
    console.log(`${n} blocks (${(text.length / 1024).toFixed(0)} KiB): in-process ${t.toFixed(1)} ms; whole process ${w.toFixed(0)} ms`);
  }
  const [a, b] = rows;
  console.log(`growth 1,000 -> 10,000 blocks: x${(b![1] / a![1]).toFixed(2)} in-process (linear = x10)`);
  console.log(`target: 10,000 blocks under 2,000 ms: ${b![2] < 2000 ? 'met' : 'NOT met'} (${b![2].toFixed(0)} ms whole process)`);
  fs.rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) benchCheck();
