/**
 * Benchmark of `resdsl compile`: whole-process wall time (median of runs) and peak memory
 * (VmHWM / maxRSS of the child) of compiling ResNet-50 and ResNet-152 with seeded weights,
 * against the weights' own size. Target (issue 4): ResNet-50 under 1.5 s, peak memory under
 * 3 times the weight bytes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFile as frontEnd } from '../src/node/compile.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a command under /usr/bin/time-like measurement: wall ms and the child's peak RSS in bytes. */
export function measure(args: string[]): { ms: number; peak: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', 'scripts/peak-child.mjs', ...args], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`failed: ${args.join(' ')}\n${r.stderr}`);
  const m = /peak-rss-bytes (\d+)/.exec(r.stderr);
  return { ms, peak: m ? Number(m[1]) : NaN };
}

export function benchCompile(runs = 5): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-bench-'));
  try {
    console.log('## resdsl compile (whole process, seeded weights)');
    for (const model of ['resnet50', 'resnet152']) {
      const file = `examples/${model}.resdsl`;
      const g = frontEnd(file).networks[0]!.graph;
      let weightBytes = 0;
      for (const p of g.params.values()) weightBytes += 4 * p.shape.reduce((a, b) => a * b, 1);
      const out = path.join(dir, `${model}.onnx`);
      measure(['bin/resdsl.js', 'compile', file, '-o', out]); // warm the file cache
      const xs = Array.from({ length: model === 'resnet50' ? runs : 3 }, () => measure(['bin/resdsl.js', 'compile', file, '-o', out]));
      const ms = median(xs.map((x) => x.ms));
      const peak = median(xs.map((x) => x.peak));
      console.log(
        `${model}: ${ms.toFixed(0)} ms median of ${xs.length}; peak memory ${(peak / 2 ** 20).toFixed(0)} MiB = ${(peak / weightBytes).toFixed(2)} x the weights (${(weightBytes / 2 ** 20).toFixed(0)} MiB)`,
      );
      if (model === 'resnet50')
        console.log(`target: under 1,500 ms ${ms < 1500 ? 'met' : 'NOT met'}; peak under 3 x weights ${peak < 3 * weightBytes ? 'met' : 'NOT met'}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchCompile();
