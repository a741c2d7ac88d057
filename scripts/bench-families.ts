/**
 * The executor's benchmark (issue 12): ResNet-50 compiled here, and MobileNetV2, EfficientNet-B0
 * and ConvNeXt-T as torch.onnx.export files (scripts/torch/make_fixtures.py) and, once their
 * examples exist, compiled here from examples/*.resdsl; each in our executor, onnxruntime-node and
 * onnxruntime-web (WebAssembly), on 1 and 2 threads, batch 1, every configuration in its own child
 * process (bench-run.ts), all in one run. Prints one table of medians, ratios and peak memory, and
 * each target with whether this run met it. `--only NAME` measures the rows whose name contains
 * NAME (`--only 'ConvNeXt-T (ours)'`), `--quick` fewer runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allConfigs, measureModel, median, type Measured } from './bench-run.js';

interface Row {
  name: string;
  file: string;
}

const families = [
  ['MobileNetV2', 'mobilenet_v2'],
  ['EfficientNet-B0', 'efficientnet_b0'],
  ['ConvNeXt-T', 'convnext_tiny'],
] as const;

function compile(source: string, network: string | undefined, out: string): boolean {
  const args = ['bin/resdsl.js', 'compile', source, '-o', out, ...(network ? ['-n', network] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return r.status === 0;
}

/** The example defining network `name`, if any: examples/NAME.resdsl, or a file with `network NAME`. */
function exampleOf(name: string): { file: string; network?: string } | undefined {
  const own = `examples/${name}.resdsl`;
  if (fs.existsSync(own)) return { file: own };
  for (const f of fs.readdirSync('examples').filter((e) => e.endsWith('.resdsl'))) {
    if (new RegExp(`^\\s*network\\s+${name}\\b`, 'm').test(fs.readFileSync(path.join('examples', f), 'utf8'))) return { file: path.join('examples', f), network: name };
  }
  return undefined;
}

/** torch.onnx files of the fixture script (made once, cached). */
function torchExport(name: string): string | undefined {
  const file = `.cache/torch-fixtures/${name}/torch.onnx`;
  if (!fs.existsSync(file)) spawnSync('/usr/bin/python3', ['scripts/torch/make_fixtures.py', name], { stdio: 'inherit' });
  return fs.existsSync(file) ? file : undefined;
}

function rows(dir: string): Row[] {
  const out: Row[] = [];
  const r50 = path.join(dir, 'resnet50.onnx');
  if (!compile('examples/resnet50.resdsl', undefined, r50)) throw new Error('compile of examples/resnet50.resdsl failed');
  out.push({ name: 'ResNet-50 (ours)', file: r50 });
  for (const [title, name] of families) {
    const exported = torchExport(name);
    if (exported) out.push({ name: `${title} (torch)`, file: exported });
    else console.log(`(no torch export of ${name}: /usr/bin/python3 with python3-torch is needed)`);
    const example = exampleOf(name);
    const compiled = path.join(dir, `${name}.onnx`);
    if (example && compile(example.file, example.network, compiled)) out.push({ name: `${title} (ours)`, file: compiled });
  }
  return out;
}

const ms = (m: Measured | undefined) => (m && m.times.length ? median(m.times) : NaN);
const f1 = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));
const f2 = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(2));

/** `only`: measure just the rows whose name contains it (to measure one again on a quieter machine). */
export function benchFamilies(quick: boolean, only?: string): void {
  console.log('## resdsl run: our JS executor vs onnxruntime-node vs onnxruntime-web (WebAssembly), batch 1, same run');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-bench-families-'));
  try {
    const configs = allConfigs.filter((c) => c.name !== 'ours-js-1');
    const args = quick ? ['--runs', '5', '--warmup', '1', '--rounds', '1'] : ['--runs', '7', '--warmup', '2', '--rounds', '2'];
    const table: string[] = [
      '| model | ours 1T | ours 2T | ort-node 1T | ort-node 2T | ort-web 1T | ort-web 2T | ours/web 1T | ours/web 2T | ours 1T/2T | peak MiB ours 1T/2T, node 2T, web 2T | cpu/wall ours 2T, web 2T |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ];
    const targets: string[] = [];
    for (const row of rows(dir).filter((r) => only === undefined || r.name.includes(only))) {
      console.log(`measuring ${row.name} (load average ${os.loadavg()[0]!.toFixed(2)})`);
      const m = measureModel(row.file, configs, args);
      const [o1, o2, n1, n2, w1, w2] = ['ours-1', 'ours-2', 'ort-1', 'ort-2', 'web-1', 'web-2'].map((c) => ms(m.get(c)));
      const peak = (c: string) => m.get(c)!.peakMiB.toFixed(0);
      table.push(`| ${row.name} | ${f1(o1!)} | ${f1(o2!)} | ${f1(n1!)} | ${f1(n2!)} | ${f1(w1!)} | ${f1(w2!)} | ${f2(o1! / w1!)} | ${f2(o2! / w2!)} | ${f2(o1! / o2!)} | ${peak('ours-1')}/${peak('ours-2')}, ${peak('ort-2')}, ${peak('web-2')} | ${m.get('ours-2')!.cpuPerWall.toFixed(2)}, ${m.get('web-2')!.cpuPerWall.toFixed(2)} |`);
      const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
      targets.push(`${row.name}: faster than onnxruntime-web, 1T ${f2(o1! / w1!)}x (${met(o1! < w1!)}), 2T ${f2(o2! / w2!)}x (${met(o2! < w2!)}); peak memory not above onnxruntime-node's (${met(Math.max(m.get('ours-1')!.peakMiB, m.get('ours-2')!.peakMiB) <= Math.max(m.get('ort-1')!.peakMiB, m.get('ort-2')!.peakMiB))})`);
      if (row.name.startsWith('ResNet-50')) {
        targets.push(`ResNet-50: 2 threads ${f2(o1! / o2!)}x faster than 1 (target 1.7x: ${met(o1! / o2! >= 1.7)}); 1 thread ${f2(o1! / 150)}x the wasm roofline of 150 ms (target within 1.3x: ${met(o1! <= 195)})`);
      }
    }
    console.log(`\n${table.join('\n')}\n`);
    for (const t of targets) console.log(`- ${t}`);
    console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && process.argv[1].endsWith('bench-families.ts')) {
  const at = process.argv.indexOf('--only');
  benchFamilies(process.argv.includes('--quick'), at > 0 ? process.argv[at + 1] : undefined);
}
