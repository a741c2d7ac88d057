/**
 * `npm run bench`: every benchmark of the project, each against its target, in one run.
 *  - check: the examples folder and generated networks of 1,000 and 10,000 blocks (issue 2);
 *  - compile: whole-process time and peak memory for ResNet-50 and ResNet-152 (issue 4);
 *  - run: ResNet-18 and ResNet-50 at 224x224, batch 1, in our executor and in onnxruntime-node
 *    (1 and 2 threads), on the same ONNX files compiled here, in the same run (issue 5).
 * Medians and ratios only: the machine is shared and noisy. Pass --quick for fewer runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchCheck } from './bench-check.js';
import { benchCompile } from './bench-compile.js';

const quick = process.argv.includes('--quick');
// onnxruntime's telemetry leaves `.ses` and `mat-debug-PID.log` in the temp folder otherwise (the children inherit it)
process.env.ORT_DISABLE_TELEMETRY ??= '1';
console.log(`resdsl benchmarks, ${new Date().toISOString()}, ${os.cpus()[0]?.model ?? 'cpu'} x ${os.cpus().length}, load average ${os.loadavg()[0]!.toFixed(2)}\n`);

benchCheck();
console.log();
benchCompile(quick ? 3 : 5);
console.log();

console.log('## resdsl run: our JS executor vs onnxruntime-node (same ONNX files, same run)');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-bench-run-'));
try {
  const models = ['resnet18', 'resnet50'].map((m) => {
    const out = path.join(dir, `${m}.onnx`);
    const r = spawnSync(process.execPath, ['bin/resdsl.js', 'compile', `examples/${m}.resdsl`, '-o', out], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`compile of ${m} failed: ${r.stderr}`);
    return out;
  });
  const configs = process.argv.includes('--all') ? [] : ['--configs', 'ours-wasm-1,ours-wasm-2,ort-1,ort-2'];
  const runs = quick ? ['--runs', '5', '--rounds', '1'] : ['--runs', '7', '--rounds', '2'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-run.ts', ...models, ...configs, ...runs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout);
  console.log('target (issue 5): ResNet-50 median within 10 x onnxruntime-node 2-thread (ratio column), peak memory not above onnxruntime-node');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
