/**
 * The pipeline on the file system: sources through the Node host, weights read from a file. What
 * the CLI's commands and the tests call.
 */
import * as fs from 'node:fs';
import { error } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { buildScopes } from '../ir/elaborate/scope.js';
import type { ShortcutPolicy } from '../passes/pass.js';
import { compile, compileLazy, runPipeline, type CompileResult, type FrontEndResult, type LazyCompileResult, type PipelineOptions, type StageName } from '../pipeline/index.js';
import { nodeExecutorHost } from './executor-host.js';
import { cannotRead, nodeHost } from './host.js';
import type { Program } from '../program/load.js';
import type { SeededMaker } from '../weights/attach.js';

export interface CompileOptions {
  network?: string;
  shortcut?: ShortcutPolicy;
  /** The policy was given on the command line: a network it changes nothing in gets a warning (W0601). */
  shortcutGiven?: boolean;
  seed?: number;
  /** Where seeded tensors are made (default: on the thread that asks; seeded-weights.ts shares them with a worker). */
  makeSeeded?: SeededMaker;
  /** A safetensors file with PyTorch state_dict names. */
  weights?: string;
  fuse?: boolean;
  opset?: number;
  /** Run the IR verifier after every stage. */
  verify?: boolean;
  printAfter?: readonly string[] | 'all';
  onPrint?: (stage: string, network: string, text: string) => void;
  /** Called as each stage of the pipeline starts. */
  onStage?: (stage: string, index: number, count: number) => void;
  /** The root file's text, when it is not to be read from disk. */
  text?: string;
}

/** Reads a whole regular file; a problem is a message in the one form every command uses. */
export function readBinary(file: string): { bytes: Uint8Array } | { message: string } {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) return { message: `${file} is a folder, not a file` };
    if (!st.isFile()) return { message: `cannot read ${file}: not a regular file` };
    return { bytes: fs.readFileSync(file) };
  } catch (e) {
    return { message: cannotRead(file, e) };
  }
}

function pipelineOptions(opts: CompileOptions): PipelineOptions | { message: string } {
  let weights: PipelineOptions['weights'] = { seed: opts.seed ?? 0, ...(opts.makeSeeded ? { make: opts.makeSeeded } : {}) };
  if (opts.weights !== undefined) {
    const r = readBinary(opts.weights);
    if ('message' in r) return r;
    weights = { file: opts.weights, bytes: r.bytes };
  }
  return {
    host: nodeHost,
    shortcut: opts.shortcut ?? 'B',
    ...(opts.shortcutGiven ? { shortcutGiven: true } : {}),
    weights,
    ...(opts.network !== undefined ? { network: opts.network } : {}),
    ...(opts.fuse !== undefined ? { fuse: opts.fuse } : {}),
    ...(opts.opset !== undefined ? { opset: opts.opset } : {}),
    ...(opts.verify ? { verifyAll: true } : {}),
    ...(opts.printAfter !== undefined ? { printAfter: opts.printAfter } : {}),
    ...(opts.onPrint !== undefined ? { onPrint: opts.onPrint } : {}),
    ...(opts.onStage !== undefined ? { onStage: opts.onStage } : {}),
    ...(opts.text !== undefined ? { text: opts.text } : {}),
  };
}

/** Compiles the one network of `file` (or `opts.network`), every tensor's data in the model. */
export function compileFile(file: string, opts: CompileOptions = {}): CompileResult {
  const p = pipelineOptions(opts);
  if ('message' in p) return { ok: false, diagnostics: [error('E0501', p.message, opts.weights)], sources: new Map() };
  return compile(file, p);
}

/**
 * compileFile, the model's seeded and fused tensors made on demand: for writing it (onnx/write.ts
 * streamModel). Garbage is collected once, as lowering starts: every pass leaves the graph before
 * it behind, which V8 keeps until its heap has grown well past what is alive, and lowering then
 * adds the model. The 10,000-block network's peak went from 392 to 301 MB, the time within noise.
 */
export function compileFileLazy(file: string, opts: CompileOptions = {}): LazyCompileResult {
  const p = pipelineOptions(opts);
  if ('message' in p) return { ok: false, diagnostics: [error('E0501', p.message, opts.weights)], sources: new Map() };
  const onStage = p.onStage;
  return compileLazy(file, {
    ...p,
    onStage: (stage, index, count) => {
      if (stage === 'lower') nodeExecutorHost.collectGarbage?.(); // the same gc() the executor uses
      onStage?.(stage, index, count);
    },
  });
}

export interface CheckOptions {
  network?: string;
  single?: boolean;
  shortcut?: ShortcutPolicy;
  /** As in CompileOptions. */
  shortcutGiven?: boolean;
  text?: string;
  /** Check `expect` lines (default true). */
  expectations?: boolean;
}

/** What check found in the file (not in the files it uses), for its summary line. */
export interface Declared {
  blocks: number;
  /** Networks with parameters and no base: checked for names, not shapes. */
  generic: number;
  /** The other networks: checked for shapes and counts too. */
  networks: number;
  /**
   * The generic networks (in any file of the program, std included) that a network of this file is
   * defined from, by declarationKey: `check` of several files does not say of one of them that
   * no network is defined from it (N0001) when another file does so.
   */
  basesUsed: string[];
}

/** check and summary: the front of the pipeline on every network of a file (or the one asked for), and what the file declares. */
/** A declaration's identity across programs: the file its name is in (as shown) and the name's offset. */
export const declarationKey = (nameSpan: Span): string => `${nameSpan.file}\0${nameSpan.start}`;

/** See Declared.basesUsed. */
function basesUsed(program: Program | undefined): string[] {
  const root = program?.root;
  if (program === undefined || root === undefined || !root.ast.items.some((i) => i.kind === 'Network' && i.base)) return [];
  const scope = buildScopes(program).scopes.get(root.absPath);
  const out: string[] = [];
  for (const i of root.ast.items) {
    if (i.kind !== 'Network' || !i.base) continue;
    const ref = scope?.get(i.base.callee.name);
    if (ref) out.push(declarationKey(ref.decl.name.span));
  }
  return out;
}

export function checkFile(file: string, opts: CheckOptions = {}, last: StageName = 'expect'): FrontEndResult & { declared: Declared } {
  const s = runPipeline(
    file,
    last,
    {
      host: nodeHost,
      shortcut: opts.shortcut ?? 'B',
      ...(opts.shortcutGiven ? { shortcutGiven: true } : {}),
      expectations: opts.expectations !== false,
      ...(opts.network !== undefined ? { network: opts.network } : {}),
      ...(opts.single ? { single: true } : {}),
      ...(opts.text !== undefined ? { text: opts.text } : {}),
    },
  );
  const items = s.program?.root?.ast.items ?? [];
  const declared = {
    blocks: items.filter((i) => i.kind === 'Block').length,
    generic: items.filter((i) => i.kind === 'Network' && i.params.length > 0 && !i.base).length,
    networks: items.filter((i) => i.kind === 'Network' && (i.params.length === 0 || i.base)).length,
    basesUsed: basesUsed(s.program),
  };
  return { networks: s.networks, diagnostics: s.diagnostics, sources: s.sources, declared };
}
