/**
 * Times the JS executor against onnxruntime-node and onnxruntime-web (its WebAssembly backend, the
 * runtime a browser would use) on .onnx models:
 *
 *   npx tsx scripts/bench-run.ts MODEL.onnx... [--runs K] [--warmup W] [--rounds R]
 *       [--size 224] [--batch 1] [--configs ours-1,ours-2,ort-1,ort-2,web-1,web-2] [--json]
 *
 * Each configuration (ours with the wasm kernels, or the plain JS ones, on 1 or 2 threads;
 * onnxruntime-node or -web with 1 or 2 intra-op threads) runs in its own child process, so that
 * peak memory (VmHWM) is its own: load, prepare, W warm-up runs, then K timed runs. With --rounds R
 * every configuration is run R times, interleaved, against a busy machine. Each child also reports
 * its CPU time over wall time during the timed runs, which shows how many threads really worked.
 * Prints medians, best times, peak resident memory and ratios to onnxruntime-web at the same
 * thread count; --json prints the measurements instead.
 */
import { modelFileOptions } from '../src/node/external-data.js';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeModel } from '../src/onnx/read.js';

type Runtime = 'ours' | 'ort' | 'web';

interface Config {
  name: string;
  runtime: Runtime;
  threads: 1 | 2;
  kernel: 'js' | 'wasm';
}

export interface Measured {
  times: number[];
  peakMiB: number;
  loadMs: number;
  /** CPU seconds over wall seconds during the timed runs (about the number of busy threads). */
  cpuPerWall: number;
}

export const allConfigs: Config[] = [
  { name: 'ours-1', runtime: 'ours', threads: 1, kernel: 'wasm' },
  { name: 'ours-2', runtime: 'ours', threads: 2, kernel: 'wasm' },
  { name: 'ours-js-1', runtime: 'ours', threads: 1, kernel: 'js' },
  { name: 'ort-1', runtime: 'ort', threads: 1, kernel: 'wasm' },
  { name: 'ort-2', runtime: 'ort', threads: 2, kernel: 'wasm' },
  { name: 'web-1', runtime: 'web', threads: 1, kernel: 'wasm' },
  { name: 'web-2', runtime: 'web', threads: 2, kernel: 'wasm' },
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

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The input's dims, with symbolic batch and spatial sizes filled in. */
function inputDims(shape: readonly (number | string)[], batch: number, size: number): number[] {
  return shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? batch : i === 1 ? 3 : size));
}

/**
 * Our executor as `resdsl run` runs it: the compiled code in dist/ (what `npm run bench` builds
 * first), whose worker thread loads compiled JavaScript, or the sources when there is no build.
 */
async function ours(): Promise<{ index: typeof import('../src/runtime/js/index.js'); lean: typeof import('../src/runtime/js/lean.js'); read: typeof import('../src/onnx/read.js'); files: typeof import('../src/node/external-data.js'); host: typeof import('../src/node/executor-host.js') }> {
  const built = existsSync(fileURLToPath(new URL('../dist/runtime/js/index.js', import.meta.url)));
  const at = (p: string) => new URL(built ? `../dist/${p}.js` : `../src/${p}.ts`, import.meta.url).href;
  return { index: await import(at('runtime/js/index')), lean: await import(at('runtime/js/lean')), read: await import(at('onnx/read')), files: await import(at('node/external-data')), host: await import(at('node/executor-host')) };
}

/** A function running the model once, for each runtime; loaded only in the child that needs it. */
async function session(path: string, runtime: Runtime, threads: number, kernel: Config['kernel'], inputName: string, dims: number[], data: Float32Array) {
  if (runtime === 'ours') {
    const { index, lean, read, files, host } = await ours();
    const model = read.decodeModel(readFileSync(path), files.modelFileOptions(path));
    if (!model.ok) throw new Error(model.error.message);
    // As run-model.ts does for a caller done with the model (the lowest peak memory).
    const plan = lean.prepareLean(model.value, { ...host.nodeExecutorOptions(), threads: threads as 1 | 2, kernel, takeWeights: true });
    if (!plan.ok) throw new Error(plan.error.message);
    const feeds = new Map([[inputName, { dims, data }]]);
    return { once: async () => void index.run(plan.value, feeds), finish: () => index.dispose(plan.value) };
  }
  if (runtime === 'ort') {
    const ort = await import('onnxruntime-node');
    const s = await ort.InferenceSession.create(path, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' });
    const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
    return { once: async () => void (await s.run(feeds)), finish: () => s.release() };
  }
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  const s = await ort.InferenceSession.create(readFileSync(path), { executionProviders: ['wasm'] });
  const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
  return { once: async () => void (await s.run(feeds)), finish: () => s.release() };
}

async function child(args: string[]): Promise<void> {
  const [path, runtime, threads, kernel, inputName, dimsText] = args as [string, Runtime, string, Config['kernel'], string, string];
  const runs = Number(option(args, '--runs', '10'));
  const warmup = Number(option(args, '--warmup', '2'));
  const dims = dimsText.split(',').map(Number);
  const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i));
  const t0 = performance.now();
  const s = await session(path, runtime, Number(threads), kernel, inputName, dims, data);
  const loadMs = performance.now() - t0;
  for (let i = 0; i < warmup; i++) await s.once();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await s.once();
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuPerWall = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
  await s.finish();
  const out: Measured = { times, peakMiB: peakMiB(), loadMs, cpuPerWall };
  process.stdout.write(`\n@@${JSON.stringify(out)}\n`);
  // onnxruntime-web's worker threads would keep the process alive.
  process.exit(0);
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
  if (c.kernel === 'js' && !args.includes('--runs')) extra.push('--runs', '3', '--warmup', '1');
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', path, c.runtime, String(c.threads), c.kernel, input.name, input.dims.join(','), ...extra], {
    encoding: 'utf8', maxBuffer: 1 << 24,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('@@'));
  if (r.status !== 0 || line === undefined) throw new Error(`${c.name} on ${path} failed:\n${r.stderr}`);
  return JSON.parse(line.slice(2)) as Measured;
}

/** Every configuration on one model, `rounds` times interleaved. */
export function measureModel(path: string, configs: Config[], args: string[]): Map<string, Measured> {
  const input = inputOf(path, args);
  const rounds = Number(option(args, '--rounds', '1'));
  const results = new Map<string, Measured>(configs.map((c) => [c.name, { times: [], peakMiB: 0, loadMs: 0, cpuPerWall: 0 }]));
  for (let r = 0; r < rounds; r++) {
    for (const c of configs) {
      const m = measure(path, input, c, args);
      const acc = results.get(c.name)!;
      acc.times.push(...m.times);
      acc.peakMiB = Math.max(acc.peakMiB, m.peakMiB);
      acc.loadMs = Math.max(acc.loadMs, m.loadMs);
      acc.cpuPerWall = Math.max(acc.cpuPerWall, m.cpuPerWall);
    }
  }
  return results;
}

function printTable(path: string, configs: Config[], results: Map<string, Measured>): void {
  console.log(`\n${path}`);
  console.log('config        median ms    best ms  vs web, same threads   peak MiB   cpu/wall   load+prepare ms   runs');
  for (const c of configs) {
    const m = results.get(c.name)!;
    const web = results.get(`web-${c.threads}`);
    const ratio = web && web.times.length > 0 ? (median(m.times) / median(web.times)).toFixed(2) : '-';
    console.log(`${c.name.padEnd(12)} ${median(m.times).toFixed(1).padStart(10)} ${Math.min(...m.times).toFixed(1).padStart(10)} ${ratio.padStart(21)} ${m.peakMiB.toFixed(0).padStart(10)} ${m.cpuPerWall.toFixed(2).padStart(10)} ${m.loadMs.toFixed(0).padStart(17)} ${String(m.times.length).padStart(6)}`);
  }
}

function main(args: string[]): void {
  const paths = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--') && args[i - 1] !== '--json'));
  if (paths.length === 0) {
    console.error('usage: bench-run.ts MODEL.onnx... [--runs K] [--warmup W] [--rounds R] [--size 224] [--batch 1] [--configs a,b] [--json]');
    process.exit(2);
  }
  const wanted = option(args, '--configs', 'ours-1,ours-2,ort-1,ort-2,web-1,web-2').split(',');
  const configs = allConfigs.filter((c) => wanted.includes(c.name));
  const all: Record<string, Record<string, Measured>> = {};
  for (const path of paths) {
    const results = measureModel(path, configs, args);
    if (args.includes('--json')) all[path] = Object.fromEntries(results);
    else printTable(path, configs, results);
  }
  if (args.includes('--json')) console.log(JSON.stringify(all));
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv.slice(1));
else if (process.argv[1] === fileURLToPath(import.meta.url)) main(argv);
