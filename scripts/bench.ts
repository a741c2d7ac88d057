/**
 * `npm run bench`: every benchmark of the project, each against its target, in one run.
 *  - check: the examples folder and generated networks of 1,000 and 10,000 blocks, whole process
 *    (issues 2 and 9);
 *  - compile: whole-process time and peak memory for ResNet-50, ResNet-152 and the 10,000-block
 *    network (issues 4 and 9);
 *  - run: ResNet-50 and the modern families (MobileNetV2, EfficientNet-B0, ConvNeXt-T: torch's
 *    exports and our compiles) at 224x224, batch 1, in our executor, onnxruntime-node and
 *    onnxruntime-web, 1 and 2 threads, in the same run (issues 5 and 12; bench-families.ts).
 * Medians and ratios only: the machine is shared and noisy. Pass --quick for fewer runs.
 */
import * as os from 'node:os';
import { benchCheck } from './bench-check.js';
import { benchCompile } from './bench-compile.js';
import { benchFamilies } from './bench-families.js';
import { progress } from '../src/node/progress.js';

const quick = process.argv.includes('--quick');
// onnxruntime's telemetry leaves `.ses` and `mat-debug-PID.log` in the temp folder otherwise (the children inherit it)
process.env.ORT_DISABLE_TELEMETRY ??= '1';
console.log(`resdsl benchmarks, ${new Date().toISOString()}, ${os.cpus()[0]?.model ?? 'cpu'} x ${os.cpus().length}, load average ${os.loadavg()[0]!.toFixed(2)}\n`);

// on a terminal, which part is running, under the results (nothing more in a pipe or a file)
const bar = progress('bench', { stream: process.stdout, delayMs: 0 });
const log = console.log;
console.log = (...xs: unknown[]) => bar.interrupt(() => log(...xs));

bar.update(0, 3, 'check');
benchCheck(quick ? 3 : 5);
console.log();
bar.update(1, 3, 'compile');
benchCompile(quick ? 3 : 5);
console.log();

bar.update(2, 3, 'run');
benchFamilies(quick);
bar.done();
