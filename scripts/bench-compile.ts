/**
 * Benchmark of `resdsl compile`: the whole `node bin/resdsl.js compile` process (median wall time,
 * CPU time of the main thread and of the process, peak memory) for ResNet-50, ResNet-152 and the
 * generated 10,000-block network of bench-check.ts, with seeded weights. Targets: ResNet-50 under 1.2 s (issue 9) with a peak under
 * 3 times its weights (issue 4); the 10,000-block network under 4 s with a peak under 400 MiB
 * (issue 9).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFile as frontEnd } from '../src/node/compile.js';
import { generated } from './bench-check.js';
import { measure, measureOnce, median, mib, verdict, type Measured } from './bench-measure.js';

function weightBytes(file: string): number {
  const g = frontEnd(file).networks[0]!.graph;
  let bytes = 0;
  for (const p of g.params.values()) bytes += 4 * p.shape.reduce((a, b) => a * b, 1);
  return bytes;
}

export function benchCompile(runs = 5): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-bench-'));
  try {
    console.log(`## resdsl compile (whole process, seeded weights: medians of wall time, CPU time and peak memory)`);
    const gen = path.join(dir, 'gen10000.resdsl');
    fs.writeFileSync(gen, generated(10_000));
    const rows = new Map<string, { ms: number; peak: number; weights: number }>();
    for (const [name, file, n] of [
      ['resnet50', 'examples/resnet50.resdsl', runs],
      ['resnet152', 'examples/resnet152.resdsl', 3],
      ['10,000 blocks', gen, 3],
    ] as const) {
      const weights = weightBytes(file);
      const m = measure(['bin/resdsl.js', 'compile', file, '-o', path.join(dir, 'out.onnx')], n);
      rows.set(name, { ...m, weights });
      console.log(
        `${name}: ${m.ms.toFixed(0)} ms median of ${n} (CPU: main thread ${m.mainCpuMs.toFixed(0)} ms, process ${m.cpuMs.toFixed(0)} ms); peak ${mib(m.peak)} = ${(m.peak / weights).toFixed(2)} x the weights (${mib(weights)})`,
      );
    }
    const r50 = rows.get('resnet50')!;
    const big = rows.get('10,000 blocks')!;
    console.log(`target (issue 9): ResNet-50 under 1,200 ms: ${verdict(r50.ms < 1200)} (${r50.ms.toFixed(0)} ms)`);
    console.log(`target (issue 4): ResNet-50 peak under 3 x its weights: ${verdict(r50.peak < 3 * r50.weights)}`);
    console.log(`target (issue 9): 10,000 blocks under 4,000 ms: ${verdict(big.ms < 4000)} (${big.ms.toFixed(0)} ms); peak under 400 MiB: ${verdict(big.peak < 400 * 2 ** 20)} (${mib(big.peak)})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The weight worker (src/node/seeded-weights.ts; forced with RESDSL_WEIGHT_WORKER=1, since by
 * default it is used only on machines of 4 processors or more) against none (=0), in runs
 * that alternate, so that a change in the machine's load falls on both: medians of wall time, of
 * the main thread's CPU time (what the worker takes off it, whatever the load), of the process's
 * CPU time, and of peak memory. `npx tsx scripts/bench-compile.ts weight-worker [RUNS]`.
 */
export function benchWeightWorker(runs = 7): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-bench-'));
  try {
    const gen = path.join(dir, 'gen10000.resdsl');
    fs.writeFileSync(gen, generated(10_000));
    console.log(`## resdsl compile, seeded weights without and with the weight worker (${runs} runs each, alternating; load ${os.loadavg()[0]!.toFixed(2)} at the start)`);
    for (const [name, file] of [['resnet50', 'examples/resnet50.resdsl'], ['10,000 blocks', gen]] as const) {
      const args = ['bin/resdsl.js', 'compile', file, '-o', path.join(dir, 'out.onnx')];
      measureOnce(args);
      const off: Measured[] = [];
      const on: Measured[] = [];
      for (let i = 0; i < runs; i++) {
        off.push(measureOnce(args, { RESDSL_WEIGHT_WORKER: '0' }));
        on.push(measureOnce(args, { RESDSL_WEIGHT_WORKER: '1' }));
      }
      const m = (xs: Measured[], f: (x: Measured) => number) => median(xs.map(f)).toFixed(0);
      const line = (xs: Measured[]) => `${m(xs, (x) => x.ms)} ms (CPU: main thread ${m(xs, (x) => x.mainCpuMs)} ms, process ${m(xs, (x) => x.cpuMs)} ms), peak ${mib(median(xs.map((x) => x.peak)))}`;
      console.log(`${name}: without ${line(off)}; with ${line(on)}; load ${os.loadavg()[0]!.toFixed(2)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === 'weight-worker') benchWeightWorker(Number(process.argv[3] ?? 7));
  else benchCompile();
}
