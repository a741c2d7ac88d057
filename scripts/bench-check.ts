/**
 * Benchmark of `resdsl check`: the whole examples folder, and generated networks of 1,000 and
 * 10,000 residual blocks (each block its own line, so the parser works too). Medians of the whole
 * `node bin/resdsl.js check` process (what a user waits for) with its peak memory, and in-process
 * times for the growth ratio. Targets: about linear growth (issue 2); check of the 10,000-block
 * network under 1 s, whole process (issue 9).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFile as frontEnd } from '../src/node/compile.js';
import { measure, median, mib, verdict } from './bench-measure.js';

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
    if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(`benchmark input has diagnostics: ${r.diagnostics[0]!.message}`);
  }
  return median(times);
}

export function benchCheck(runs = 5): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-bench-'));
  try {
    console.log(`## resdsl check (whole process: median of ${runs} runs and its peak memory; in-process medians for growth)`);
    const examples = fs.readdirSync('examples').filter((f) => f.endsWith('.resdsl')).length;
    const ex = measure(['bin/resdsl.js', 'check', 'examples'], runs);
    console.log(`examples folder (${examples} files): ${ex.ms.toFixed(0)} ms, peak ${mib(ex.peak)}`);
    const inProc: number[] = [];
    let whole = NaN;
    for (const n of [1_000, 10_000]) {
      const text = generated(n);
      const file = path.join(dir, `gen${n}.resdsl`);
      fs.writeFileSync(file, text);
      inProcess(file, text, 1); // warm-up
      const t = inProcess(file, text, n > 5000 ? 5 : 9);
      const w = measure(['bin/resdsl.js', 'check', file], runs);
      inProc.push(t);
      whole = w.ms;
      console.log(`${n.toLocaleString('en-US')} blocks (${(text.length / 1024).toFixed(0)} KiB): in-process ${t.toFixed(0)} ms; whole process ${w.ms.toFixed(0)} ms, peak ${mib(w.peak)}`);
    }
    console.log(`growth 1,000 -> 10,000 blocks: x${(inProc[1]! / inProc[0]!).toFixed(2)} in-process (linear = x10)`);
    console.log(`target (issue 9): check of 10,000 blocks under 1,000 ms, whole process: ${verdict(whole < 1000)} (${whole.toFixed(0)} ms)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchCheck();
