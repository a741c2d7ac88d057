/**
 * Helpers of the PyTorch backend's tests: the example networks, their emitted modules written to a
 * folder, a spec's text with a smaller input, and the Python driver (driver.py) run once for many
 * jobs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isConcrete } from '../../src/ir/elaborate/index.js';
import { nodeHost } from '../../src/node/host.js';
import type { IrGraph } from '../../src/ir/types.js';
import type { NetworkDecl } from '../../src/parser/ast.js';
import { parseSource } from '../../src/parser/parse.js';
import { runPipeline } from '../../src/pipeline/index.js';
import { emitPyTorch } from '../../src/pytorch/index.js';
import { python } from '../helpers/torch-fixtures.js';

const repo = new URL('../..', import.meta.url).pathname;
export const driver = path.join(repo, 'test/pytorch/driver.py');

export interface ExampleNetwork {
  /** examples/NAME.resdsl */
  file: string;
  network: string;
}

/** Every concrete network of examples/, in file order. */
export function exampleNetworks(): ExampleNetwork[] {
  const out: ExampleNetwork[] = [];
  for (const f of fs.readdirSync(path.join(repo, 'examples')).filter((n) => n.endsWith('.resdsl')).sort()) {
    const file = `examples/${f}`;
    const { ast } = parseSource(fs.readFileSync(path.join(repo, file), 'utf8'), file);
    for (const item of ast.items) if (item.kind === 'Network' && isConcrete(item)) out.push({ file, network: item.name.name });
  }
  return out;
}

/** The emitted module of a network, written to dir/model.py; its network class. */
export function emitTo(dir: string, net: ExampleNetwork, text?: string): { module: string; cls: string } {
  const r = emitPyTorch(net.file, { host: nodeHost, shortcut: 'B', network: net.network, ...(text !== undefined ? { text } : {}) });
  if (!r.ok) throw new Error(`${net.file} -n ${net.network}: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const module = path.join(dir, 'model.py');
  fs.writeFileSync(module, r.text);
  return { module, cls: r.className };
}

/**
 * The root file's text with the network's input at `size` x `size` (its name and channels kept):
 * an `input` line added to a derived network's body, or the input line of a network replaced.
 */
export function withInputSize(net: ExampleNetwork, size: number): string {
  const text = fs.readFileSync(path.join(repo, net.file), 'utf8');
  const { ast } = parseSource(text, net.file);
  const decl = ast.items.find((i): i is NetworkDecl => i.kind === 'Network' && i.name.name === net.network)!;
  const own = decl.body.find((s) => s.kind === 'Input');
  if (own && own.kind === 'Input') {
    const dims = own.type.dims;
    return `${text.slice(0, dims[2]!.span.start)}${size}, ${size}${text.slice(dims[3]!.span.end)}`;
  }
  const input = runPipeline(net.file, 'elaborate', { host: nodeHost, shortcut: 'B', network: net.network }).networks[0]!.graph.inputs[0]!;
  const line = `input ${input.name}: f32[N, ${input.type.shape[1]}, ${size}, ${size}]`;
  const base = decl.base!;
  const brace = text.indexOf('{', base.span.end);
  const hasBody = brace >= 0 && brace < decl.span.end;
  return hasBody ? `${text.slice(0, brace + 1)}\n  ${line}${text.slice(brace + 1)}` : `${text.slice(0, decl.span.end)} { ${line} }${text.slice(decl.span.end)}`;
}

/**
 * The last norm layer or layer scale of each residual branch (what the first operand of an add
 * ends with, through stochastic depth and dropout), for driver.py to give small gains.
 */
export function residualGains(g: IrGraph): string[] {
  const byName = new Map(g.nodes.map((n) => [n.name, n] as const));
  const out: string[] = [];
  for (const n of g.nodes) {
    if (n.op !== 'add') continue;
    let v = byName.get(n.inputs[0]!);
    while (v && (v.op === 'stochastic_depth' || v.op === 'dropout' || v.op === 'identity')) v = byName.get(v.inputs[0]!);
    if (v && (v.op === 'bn' || v.op === 'layer_scale')) out.push(v.name);
  }
  return out;
}

/** The network's IR after the shortcut pass (no weights), for its input type and layers. */
export function networkGraph(net: ExampleNetwork, text?: string): IrGraph {
  const s = runPipeline(net.file, 'shortcut', { host: nodeHost, shortcut: 'B', network: net.network, ...(text !== undefined ? { text } : {}) });
  const g = s.networks[0]?.graph;
  if (!g) throw new Error(s.diagnostics.map((d) => d.message).join('; '));
  return g;
}

export interface DriverJob {
  module: string;
  cls: string;
  dir: string;
  tasks: ('keys' | 'parity' | 'modes' | 'export' | 'evaluate')[];
  input?: number[];
  seed?: number;
  /** The safetensors file `evaluate` loads. */
  weights?: string;
  /** Layers given small gains (residualGains). */
  small?: string[];
}

export interface DriverReport {
  keys?: [string, number[]][];
  params?: number;
  modes?: { train_differs: boolean; eval_same: boolean };
  seconds: number;
}

/** Runs driver.py on the jobs in one Python process; its report per job folder. */
export function runDriver(jobs: readonly DriverJob[], workDir: string, timeoutMs = 600_000): Map<string, DriverReport> {
  const jobFile = path.join(workDir, 'jobs.json');
  const resultFile = path.join(workDir, 'results.json');
  fs.writeFileSync(jobFile, JSON.stringify(jobs));
  const r = spawnSync(python, [driver, jobFile, resultFile], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`driver.py failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}): ${(r.stderr || String(r.error ?? '')).trim().split('\n').slice(-6).join('\n')}`);
  return new Map(Object.entries(JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Record<string, DriverReport>));
}
