/**
 * Times the JS executor against onnxruntime-node on .onnx models:
 *
 *   npx tsx scripts/bench-run.ts MODEL.onnx... [--runs K] [--warmup W] [--rounds R]
 *       [--size 224] [--batch 1] [--configs ours-wasm-2,ort-2,...]
 *
 * Each configuration (ours with the js or wasm kernel on 1 or 2 threads, the wasm kernel also with
 * relaxed-SIMD multiply-add; onnxruntime with 1 or 2 intra-op threads) runs in its own child process, so that peak memory (VmHWM) is its own:
 * load, prepare, W warm-up runs, then K timed runs. With --rounds R every configuration is run R
 * times, interleaved, against a busy machine. Prints median and best ms, the ratio of each
 * median to onnxruntime's 2-thread median, and the peak resident memory.
 */
import { modelFileOptions } from '../src/node/external-data.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispose, prepare, run } from '../src/runtime/js/index.js';
import { decodeModel } from '../src/onnx/read.js';

interface Config {
  name: string;
  runtime: 'ours' | 'ort';
  threads: 1 | 2;
  kernel: 'js' | 'wasm';
  /** Extra node flags of the child process. */
  flags?: string[];
}

interface Measured {
  times: number[];
  peakMiB: number;
  loadMs: number;
}

const allConfigs: Config[] = [
  { name: 'ours-js-1', runtime: 'ours', threads: 1, kernel: 'js' },
  { name: 'ours-js-2', runtime: 'ours', threads: 2, kernel: 'js' },
  { name: 'ours-wasm-1', runtime: 'ours', threads: 1, kernel: 'wasm' },
  { name: 'ours-wasm-2', runtime: 'ours', threads: 2, kernel: 'wasm' },
  // Relaxed SIMD (fused multiply-add) is on by default from Node 22; Node 20 needs the flag.
  { name: 'ours-fma-1', runtime: 'ours', threads: 1, kernel: 'wasm', flags: ['--experimental-wasm-relaxed-simd'] },
  { name: 'ours-fma-2', runtime: 'ours', threads: 2, kernel: 'wasm', flags: ['--experimental-wasm-relaxed-simd'] },
  { name: 'ort-1', runtime: 'ort', threads: 1, kernel: 'wasm' },
  { name: 'ort-2', runtime: 'ort', threads: 2, kernel: 'wasm' },
];

function option(args: string[], name: string, def: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
}

/** Peak resident set of this process, in MiB. */
function peakMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The input's dims, with symbolic batch and spatial sizes filled in. */
function inputDims(shape: readonly (number | string)[], batch: number, size: number): number[] {
  return shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? batch : i === 1 ? 3 : size));
}

async function child(args: string[]): Promise<void> {
  const [path, runtime, threads, kernel, inputName, dimsText] = args as [string, Config['runtime'], string, Config['kernel'], string, string];
  const runs = Number(option(args, '--runs', '10'));
  const warmup = Number(option(args, '--warmup', '2'));
  const dims = dimsText.split(',').map(Number);
  const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i));
  const t0 = performance.now();
  let once: () => Promise<void>;
  let finish = async (): Promise<void> => {};
  if (runtime === 'ours') {
    const model = decodeModel(readFileSync(path), modelFileOptions(path));
    if (!model.ok) throw new Error(model.error.message);
    const plan = prepare(model.value, { threads: Number(threads) as 1 | 2, kernel });
    if (!plan.ok) throw new Error(plan.error.message);
    const feeds = new Map([[inputName, { dims, data }]]);
    once = async () => void run(plan.value, feeds);
    finish = () => dispose(plan.value);
  } else {
    // Loaded only here, so that our own runs do not map onnxruntime's library.
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(path, { intraOpNumThreads: Number(threads), interOpNumThreads: 1, executionMode: 'sequential' });
    once = async () => void (await session.run({ [inputName]: new ort.Tensor('float32', data, dims) }));
  }
  const loadMs = performance.now() - t0;
  for (let i = 0; i < warmup; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  await finish();
  const out: Measured = { times, peakMiB: peakMiB(), loadMs };
  process.stdout.write(`\n@@${JSON.stringify(out)}\n`);
}

/** Name and dims of the model's first input, symbolic sizes filled in. */
function inputOf(path: string, args: string[]): { name: string; dims: number[] } {
  const m = decodeModel(readFileSync(path), modelFileOptions(path));
  if (!m.ok) throw new Error(`${path}: ${m.error.message}`);
  const input = m.value.inputs[0]!;
  return { name: input.name, dims: inputDims(input.shape, Number(option(args, '--batch', '1')), Number(option(args, '--size', '224'))) };
}

function measure(path: string, input: { name: string; dims: number[] }, c: Config, args: string[]): Measured {
  const self = fileURLToPath(import.meta.url);
  const extra = ['--runs', '--warmup'].flatMap((o) => (args.includes(o) ? [o, option(args, o, '')] : []));
  if (c.kernel === 'js' && c.runtime === 'ours' && !args.includes('--runs')) extra.push('--runs', '3', '--warmup', '1');
  const r = spawnSync(process.execPath, [...process.execArgv, ...(c.flags ?? []), self, '--child', path, c.runtime, String(c.threads), c.kernel, input.name, input.dims.join(','), ...extra], {
    encoding: 'utf8', maxBuffer: 1 << 24,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('@@'));
  if (r.status !== 0 || line === undefined) throw new Error(`${c.name} failed:\n${r.stderr}`);
  return JSON.parse(line.slice(2)) as Measured;
}

function main(args: string[]): void {
  const paths = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
  if (paths.length === 0) {
    console.error('usage: bench-run.ts MODEL.onnx... [--runs K] [--warmup W] [--rounds R] [--size 224] [--batch 1] [--configs a,b]');
    process.exit(2);
  }
  const wanted = option(args, '--configs', allConfigs.map((c) => c.name).join(',')).split(',');
  const configs = allConfigs.filter((c) => wanted.includes(c.name));
  const rounds = Number(option(args, '--rounds', '1'));
  for (const path of paths) {
    const input = inputOf(path, args);
    const results = new Map<string, Measured>(configs.map((c) => [c.name, { times: [], peakMiB: 0, loadMs: 0 }]));
    for (let r = 0; r < rounds; r++) {
      for (const c of configs) {
        const m = measure(path, input, c, args);
        const acc = results.get(c.name)!;
        acc.times.push(...m.times);
        acc.peakMiB = Math.max(acc.peakMiB, m.peakMiB);
        acc.loadMs = Math.max(acc.loadMs, m.loadMs);
      }
    }
    const ort2 = results.get('ort-2');
    const base = ort2 && ort2.times.length > 0 ? median(ort2.times) : NaN;
    console.log(`\n${path}: input ${input.name} [${input.dims.join(', ')}]`);
    console.log('config        median ms    best ms   ratio to ort-2   peak MiB   load+prepare ms   runs');
    for (const c of configs) {
      const m = results.get(c.name)!;
      const med = median(m.times);
      const ratio = Number.isNaN(base) ? '-' : (med / base).toFixed(2);
      console.log(`${c.name.padEnd(12)} ${med.toFixed(1).padStart(10)} ${Math.min(...m.times).toFixed(1).padStart(10)} ${ratio.padStart(16)} ${m.peakMiB.toFixed(0).padStart(10)} ${m.loadMs.toFixed(0).padStart(17)} ${String(m.times.length).padStart(6)}`);
    }
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv.slice(1));
else main(argv);
