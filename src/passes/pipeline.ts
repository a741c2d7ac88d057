/**
 * The pass pipeline: the passes in the order they run, and the driver that runs them, verifying
 * the IR after each (when asked; tests always ask) and printing it after the passes named by
 * `--print-after`.
 *
 * The order is shortcut, cleanup, fuse. Clean-up runs before fusion so that a bn separated from
 * its conv by a dropout or an identity (`conv3; dropout; bn`) is fused in the same run: with
 * fusion first, a second run of the pipeline would fuse what the first left, and the pipeline would
 * not be idempotent. Fusion removes a bn with its tensors and types and leaves no dead code, so no
 * clean-up is needed after it.
 */
import { printGraph } from '../ir/print.js';
import type { IrGraph } from '../ir/types.js';
import { assertValid } from '../ir/verify.js';
import { cleanupPass } from './cleanup.js';
import { fusePass } from './fuse-conv-bn.js';
import type { Pass, PassOptions, PassResult } from './pass.js';
import { shortcutPass } from './shortcut.js';

const passes: readonly Pass[] = [shortcutPass, cleanupPass, fusePass];

/** The passes, in the order they run. */
export function listPasses(): readonly Pass[] {
  return passes;
}

/** The names among `names` that are no pass (for the CLI to report before running anything). */
export function unknownPassNames(names: readonly string[]): string[] {
  return names.filter((n) => !passes.some((p) => p.name === n));
}

export interface PipelineOptions extends PassOptions {
  /** Optional passes not to run (`--no-fuse` gives `['fuse']`). */
  disabled?: readonly string[];
  /** Verify the IR before the first pass and after each; a problem throws an internal error. */
  verify?: boolean;
  /** Print the IR after these passes (`--print-after fuse`), or after every pass that runs. */
  printAfter?: readonly string[] | 'all';
  /** Receives each printed IR; required when `printAfter` is given. */
  onPrint?: (passName: string, text: string) => void;
}

function checkOptions(opts: PipelineOptions): void {
  const named = [...(opts.disabled ?? []), ...(opts.printAfter === 'all' ? [] : (opts.printAfter ?? []))];
  const unknown = unknownPassNames(named);
  if (unknown.length)
    throw new Error(`internal: no pass named ${unknown.join(', ')} (the passes are ${passes.map((p) => p.name).join(', ')})`);
  const required = passes.filter((p) => !p.optional && opts.disabled?.includes(p.name)).map((p) => p.name);
  if (required.length) throw new Error(`internal: pass ${required.join(', ')} cannot be disabled`);
  if (opts.printAfter !== undefined && !opts.onPrint) throw new Error('internal: printAfter needs onPrint');
}

function wantsPrint(opts: PipelineOptions, name: string): boolean {
  return opts.printAfter === 'all' || (opts.printAfter?.includes(name) ?? false);
}

/**
 * Runs the passes in order on `graph` (never modified). Stops at the first pass that reports
 * diagnostics and returns them with that pass's result graph, which is then not verified (the
 * shortcut pass keeps it well-formed, but not necessarily well-typed). A disabled pass neither
 * runs nor prints.
 */
export function runPipeline(graph: IrGraph, opts: PipelineOptions): PassResult {
  checkOptions(opts);
  const passOpts: PassOptions = { shortcut: opts.shortcut };
  if (opts.verify) assertValid(graph, 'before the passes');
  let cur = graph;
  let resolved = false;
  for (const pass of passes) {
    if (pass.optional && opts.disabled?.includes(pass.name)) continue;
    const r = pass.run(cur, passOpts);
    if (r.diagnostics.length) return r;
    cur = r.graph;
    resolved ||= pass === shortcutPass;
    if (opts.verify) assertValid(cur, `after pass ${pass.name}`, { resolved });
    if (wantsPrint(opts, pass.name)) opts.onPrint!(pass.name, printGraph(cur));
  }
  return { graph: cur, diagnostics: [] };
}
