/**
 * Compilation as a library: front end, weights (seeded or from a safetensors state_dict), the pass
 * pipeline (fusion, clean-up), and lowering to an in-memory ONNX model. The CLI's `compile` and
 * `run` and the tests call this; nothing here writes files.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { frontEnd } from './driver.js';
import type { IrGraph } from './ir/types.js';
import { lowerGraph } from './onnx/lower.js';
import type { OnnxModel } from './onnx/model.js';
import { loadWeights, seedWeights } from './weights/attach.js';
import { readSafetensors } from './io/safetensors.js';
import type { ShortcutPolicy } from './passes/pass.js';
import { runPipeline } from './passes/pipeline.js';
import { version } from './version.js';

export interface CompileOptions {
  network?: string;
  shortcut?: ShortcutPolicy;
  seed?: number;
  /** A safetensors file with PyTorch state_dict names. */
  weights?: string;
  fuse?: boolean;
  opset?: number;
  /** Run the IR verifier after every pass. */
  verify?: boolean;
  printAfter?: string[] | 'all';
  onPrint?: (pass: string, text: string) => void;
  /** The root file's text, when it is not to be read from disk. */
  text?: string;
}

export type CompileResult =
  | { ok: true; graph: IrGraph; model: OnnxModel; sources: Map<string, string> }
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string>; message?: string };

export function sourceHash(sources: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const name of [...sources.keys()].sort()) h.update(name).update('\0').update(sources.get(name)!).update('\0');
  return h.digest('hex');
}

/** Loads weights into the graph, strictly; a failure is one message naming every problem. */
function attachWeights(g: IrGraph, opts: CompileOptions): { graph: IrGraph; tag: string } | { message: string } {
  if (opts.weights === undefined) return { graph: seedWeights(g, opts.seed ?? 0), tag: `seed ${opts.seed ?? 0}` };
  let bytes: Uint8Array;
  try {
    const st = fs.statSync(opts.weights);
    if (st.isDirectory()) return { message: `error[E0701]: ${opts.weights} is a directory, not a safetensors file` };
    if (!st.isFile()) return { message: `error[E0701]: cannot read ${opts.weights}: not a regular file` };
    bytes = fs.readFileSync(opts.weights);
  } catch (e) {
    return { message: `error[E0701]: cannot read ${opts.weights}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` };
  }
  const read = readSafetensors(bytes, opts.weights, { skip: (n) => /(^|\.)num_batches_tracked$/.test(n) });
  if (!read.ok) return { message: `error[E0701]: ${opts.weights}: ${read.error.message}` };
  const loaded = loadWeights(g, read.value);
  if (!loaded.ok)
    return { message: `error[E0702]: the weights in ${opts.weights} do not match network ${g.name}:\n  ${loaded.problems.join('\n  ')}` };
  return { graph: loaded.graph, tag: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
}

export function compileNetwork(file: string, opts: CompileOptions = {}): CompileResult {
  const shortcut = opts.shortcut ?? 'B';
  const fe = frontEnd(file, {
    single: true,
    shortcut,
    expectations: false,
    ...(opts.network !== undefined ? { network: opts.network } : {}),
    ...(opts.text !== undefined ? { text: opts.text } : {}),
  });
  const errors = fe.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || fe.networks.length === 0) return { ok: false, diagnostics: fe.diagnostics, sources: fe.sources };
  const net = fe.networks[0]!;
  const weighted = attachWeights(net.graph, opts);
  if ('message' in weighted) return { ok: false, diagnostics: [], sources: fe.sources, message: weighted.message };
  const fuse = opts.fuse ?? true;
  const piped = runPipeline(weighted.graph, {
    shortcut,
    disabled: fuse ? [] : ['fuse'],
    verify: opts.verify ?? false,
    ...(opts.printAfter !== undefined ? { printAfter: opts.printAfter } : {}),
    ...(opts.onPrint !== undefined ? { onPrint: opts.onPrint } : {}),
  });
  if (piped.diagnostics.length) return { ok: false, diagnostics: piped.diagnostics, sources: fe.sources };
  const model = lowerGraph(piped.graph, {
    ...(opts.opset !== undefined ? { opset: opts.opset } : {}),
    sources: fe.sources,
    producerVersion: version,
    metadata: {
      'resdsl.fused': String(fuse),
      'resdsl.network': net.name,
      'resdsl.shortcut': shortcut,
      'resdsl.source_sha256': sourceHash(fe.sources),
      'resdsl.version': version,
      'resdsl.weights': weighted.tag,
    },
  });
  return { ok: true, graph: piped.graph, model, sources: fe.sources };
}
