/**
 * The compiler's pipeline, as one visible list of stages. Every command runs a prefix of it:
 * `check` up to `expect`, `summary` up to `shortcut`, `compile` and `run` all of it. Each stage
 * runs once; `--print-after` and `--passes` read this same list.
 *
 *   load       read the root file
 *   parse      parse it and every file it uses
 *   elaborate  build each network's IR graph, inferring every type and naming every tensor
 *   shortcut   resolve each `shortcut` by policy A, B or C            (passes/shortcut.ts)
 *   expect     check `expect` lines against counts and output types  (check only)
 *   weights    attach weights: seeded, or a safetensors state_dict, strictly
 *   cleanup    remove the identities at inference and dead code      (passes/cleanup.ts)
 *   fuse       fold each batch norm into the conv before it           (passes/fuse-conv-bn.ts; --no-fuse)
 *   verify     check the IR's invariants (a failure is a compiler bug)
 *   lower      lower to an ONNX model                                 (onnx/lower.ts)
 *
 * Clean-up runs before fusion so that a bn separated from its conv by a dropout is fused in the
 * same run (the pipeline is idempotent); fusion leaves no dead code behind, so nothing runs after it.
 */
import { error, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { elaborateProgram, type Expectation } from '../ir/elaborate/index.js';
import { checkExpectations } from '../ir/expect.js';
import { printGraph } from '../ir/print.js';
import { graphTotals } from '../ir/stats.js';
import type { IrGraph } from '../ir/types.js';
import { assertValid } from '../ir/verify.js';
import { readSafetensors } from '../io/safetensors.js';
import { lowerGraphLazy } from '../onnx/lower.js';
import type { LazyOnnxModel } from '../onnx/model.js';
import { cleanupPass } from '../passes/cleanup.js';
import { fusePass } from '../passes/fuse-conv-bn.js';
import type { Pass, ShortcutPolicy } from '../passes/pass.js';
import { shortcutPass } from '../passes/shortcut.js';
import type { SourceHost } from '../program/host.js';
import { loadProgram, type Program } from '../program/load.js';
import { sha256Hex, Sha256 } from '../util/sha256.js';
import { version } from '../version.js';
import { loadWeights, seedWeights, type SeededMaker } from '../weights/attach.js';

export interface PipelineOptions {
  host: SourceHost;
  /** Only this network (`-n NAME`); without it every concrete network, or with `single` the only one. */
  network?: string;
  single?: boolean;
  /** The root file's text, when the caller holds it rather than the host. */
  text?: string;
  shortcut: ShortcutPolicy;
  /** `shortcut` came from the command line (`--shortcut`), so a network it changes nothing in gets a warning. */
  shortcutGiven?: boolean;
  /**
   * Weights: seeded (default seed 0; `make` says where their values are made, weights/attach.ts
   * SeededMaker), or a safetensors file's bytes with PyTorch state_dict names.
   */
  weights?: { seed: number; make?: SeededMaker } | { file: string; bytes: Uint8Array };
  /** Run `fuse` (default true). */
  fuse?: boolean;
  /** Check `expect` lines (what `check` does; the other commands skip them). */
  expectations?: boolean;
  opset?: number;
  /** Run the verifier after every stage that changes the IR, not only at `verify`. */
  verifyAll?: boolean;
  /** Print the IR after these stages (or all that change it). */
  printAfter?: readonly string[] | 'all';
  onPrint?: (stage: string, network: string, text: string) => void;
  /** Called as each stage starts (for a progress line): its name, its index and the number of stages. */
  onStage?: (stage: string, index: number, count: number) => void;
}

/** One network going through the pipeline. */
export interface NetworkUnit {
  name: string;
  graph: IrGraph;
  expects: Expectation[];
  /** Set by `expect`: parameters, buffers and MACs. */
  stats?: ReturnType<typeof graphTotals>;
  /** Where the weights came from (`seed 0`, `sha256:...`), set by `weights`. */
  weightsTag?: string;
  /** Set by `lower`: its initializers made on demand where the IR makes them so (materializeModel holds them all). */
  model?: LazyOnnxModel;
}

export interface PipelineState {
  file: string;
  text?: string;
  program?: Program;
  networks: NetworkUnit[];
  diagnostics: Diagnostic[];
  /** Source texts by display name, for rendering diagnostics. */
  sources: Map<string, string>;
}

export interface Stage {
  readonly name: string;
  readonly does: string;
  /** Optional stages can be turned off (`--no-fuse`, or `expect` outside `check`). */
  readonly optional?: boolean;
  /** The stage makes or changes IR graphs (so `--print-after` and `--verify` apply to it). */
  readonly ir?: boolean;
  /** The graph-to-graph pass the stage runs, for a stage that is one. */
  readonly pass?: Pass;
  run(state: PipelineState, opts: PipelineOptions): PipelineState;
}

/** A pass as a stage: run on each network, which drops out with its diagnostics if it reports any. */
function passStage(pass: Pass): Stage {
  return {
    name: pass.name,
    does: pass.description,
    optional: pass.optional,
    ir: true,
    pass,
    run(state, opts) {
      const diagnostics = [...state.diagnostics];
      const networks: NetworkUnit[] = [];
      for (const n of state.networks) {
        const r = pass.run(n.graph, { shortcut: opts.shortcut, ...(opts.shortcutGiven ? { shortcutGiven: true } : {}) });
        for (const d of r.diagnostics) diagnostics.push(d); // a loop: a spread of 100,000 items overflows the stack
        if (!hasErrors(r.diagnostics)) networks.push({ ...n, graph: r.graph });
      }
      return { ...state, networks, diagnostics };
    },
  };
}

const load: Stage = {
  name: 'load',
  does: 'read the root file',
  run(state, opts) {
    if (opts.text !== undefined) return { ...state, text: opts.text };
    const read = opts.host.read(opts.host.resolve('./', state.file), state.file);
    if ('text' in read) return { ...state, text: read.text };
    return { ...state, diagnostics: [...state.diagnostics, error(read.code, read.message, state.file)] };
  },
};

const parse: Stage = {
  name: 'parse',
  does: 'parse it and every file it uses',
  run(state, opts) {
    const program = loadProgram(opts.host, state.file, state.text);
    return { ...state, program, sources: program.sources, diagnostics: [...state.diagnostics, ...program.diagnostics] };
  },
};

const elaborate: Stage = {
  name: 'elaborate',
  does: "build each network's IR graph, inferring every type and naming every tensor",
  ir: true,
  run(state, opts) {
    const r = elaborateProgram(state.program!, { ...(opts.network !== undefined ? { network: opts.network } : {}), ...(opts.single ? { single: true } : {}) });
    const diagnostics = [...state.diagnostics];
    for (const d of r.diagnostics) if (!state.program!.diagnostics.includes(d)) diagnostics.push(d);
    return { ...state, diagnostics, networks: r.networks.map((n) => ({ name: n.name, graph: n.graph, expects: n.expects })) };
  },
};

const expect: Stage = {
  name: 'expect',
  does: 'count parameters and MACs, and check `expect` lines against them and the output types',
  optional: true,
  run(state) {
    const diagnostics = [...state.diagnostics];
    const networks = state.networks.map((n) => {
      const stats = graphTotals(n.graph);
      for (const d of checkExpectations(n.graph, stats, n.expects)) diagnostics.push(d);
      return { ...n, stats };
    });
    return { ...state, networks, diagnostics };
  },
};

/** Strips PyTorch's `num_batches_tracked` buffers, which carry no weight a network needs. */
const batchCounter = (name: string) => /(^|\.)num_batches_tracked$/.test(name);

const weights: Stage = {
  name: 'weights',
  does: 'attach weights: seeded, or from a safetensors state_dict, matched strictly by name and shape',
  ir: true,
  run(state, opts) {
    const w = opts.weights ?? { seed: 0 };
    if ('seed' in w) return { ...state, networks: state.networks.map((n) => ({ ...n, graph: seedWeights(n.graph, w.seed, w.make), weightsTag: `seed ${w.seed}` })) };
    const read = readSafetensors(w.bytes, w.file, { skip: batchCounter });
    if (!read.ok) return { ...state, networks: [], diagnostics: [...state.diagnostics, read.error] };
    const tag = `sha256:${sha256Hex(w.bytes)}`;
    const diagnostics = [...state.diagnostics];
    const networks: NetworkUnit[] = [];
    for (const n of state.networks) {
      const loaded = loadWeights(n.graph, read.value);
      if (loaded.ok) networks.push({ ...n, graph: loaded.graph, weightsTag: tag });
      else diagnostics.push(error('E0702', `the weights in ${w.file} do not match network ${n.name}`, w.file, { notes: loaded.problems }));
    }
    return { ...state, networks, diagnostics };
  },
};

const verify: Stage = {
  name: 'verify',
  does: "check the IR's invariants (a failure is a compiler bug, not a mistake in the spec)",
  run(state) {
    for (const n of state.networks) assertValid(n.graph, 'at the end of the passes', { resolved: true });
    return state;
  },
};

/** SHA-256 over every source file read (by display name, sorted), as the model's metadata records it. */
export function sourceHash(sources: ReadonlyMap<string, string>): string {
  const h = new Sha256();
  for (const name of [...sources.keys()].sort()) h.update(name).update('\0').update(sources.get(name)!).update('\0');
  return h.hex();
}

const lower: Stage = {
  name: 'lower',
  does: 'lower each network to an ONNX model, with its sources hash and options as metadata',
  run(state, opts) {
    const networks = state.networks.map((n) => ({
      ...n,
      model: lowerGraphLazy(n.graph, {
        ...(opts.opset !== undefined ? { opset: opts.opset } : {}),
        sources: state.sources,
        producerVersion: version,
        metadata: {
          'resdsl.fused': String(opts.fuse ?? true),
          'resdsl.network': n.name,
          'resdsl.shortcut': opts.shortcut,
          'resdsl.source_sha256': sourceHash(state.sources),
          'resdsl.version': version,
          'resdsl.weights': n.weightsTag ?? 'none',
        },
      }),
    }));
    return { ...state, networks };
  },
};

/** The pipeline, in the order it runs. */
export const stages: readonly Stage[] = [load, parse, elaborate, passStage(shortcutPass), expect, weights, passStage(cleanupPass), passStage(fusePass), verify, lower];

export type StageName = 'load' | 'parse' | 'elaborate' | 'shortcut' | 'expect' | 'weights' | 'cleanup' | 'fuse' | 'verify' | 'lower';

function skipped(stage: Stage, opts: PipelineOptions): boolean {
  return (stage.name === 'fuse' && opts.fuse === false) || (stage.name === 'expect' && opts.expectations !== true);
}

/**
 * Runs the stages from the first through `last` on `file`. Stops after a stage that leaves errors
 * and no network to go on with (a network with errors drops out; the others go on).
 */
export function runPipeline(file: string, last: StageName, opts: PipelineOptions): PipelineState {
  let state: PipelineState = { file, networks: [], diagnostics: [], sources: new Map() };
  for (const [index, stage] of stages.entries()) {
    if (!skipped(stage, opts)) {
      opts.onStage?.(stage.name, index, stages.length);
      state = stage.run(state, opts);
      const resolved = stages.indexOf(stage) >= stages.findIndex((s) => s.name === 'shortcut');
      if (stage.ir && opts.verifyAll) for (const n of state.networks) assertValid(n.graph, `after stage ${stage.name}`, { resolved });
      if (stage.ir && wantsPrint(opts, stage.name)) for (const n of state.networks) opts.onPrint?.(stage.name, n.name, printGraph(n.graph));
    }
    const beforeIr = stage.name === 'load' || stage.name === 'parse';
    if (hasErrors(state.diagnostics) && (beforeIr || state.networks.length === 0)) return state;
    if (stage.name === last) return state;
  }
  return state;
}

/**
 * The stages that are passes (shortcut, cleanup, fuse), in their order, on one graph (weights
 * attached or not): for tests of the passes together and for tools holding a graph. Stops at the
 * first pass that reports diagnostics.
 */
export function runPasses(
  graph: IrGraph,
  opts: Pick<PipelineOptions, 'shortcut' | 'fuse' | 'printAfter' | 'onPrint'> & { verify?: boolean },
): { graph: IrGraph; diagnostics: Diagnostic[] } {
  if (opts.verify) assertValid(graph, 'before the passes');
  let g = graph;
  let resolved = false;
  for (const stage of stages) {
    if (!stage.pass || (stage.name === 'fuse' && opts.fuse === false)) continue;
    const r = stage.pass.run(g, { shortcut: opts.shortcut });
    if (r.diagnostics.length) return r;
    g = r.graph;
    resolved ||= stage.name === 'shortcut';
    if (opts.verify) assertValid(g, `after pass ${stage.name}`, { resolved });
    if (wantsPrint(opts, stage.name)) opts.onPrint?.(stage.name, g.name, printGraph(g));
  }
  return { graph: g, diagnostics: [] };
}

function wantsPrint(opts: Pick<PipelineOptions, 'printAfter'>, name: string): boolean {
  return opts.printAfter === 'all' || (opts.printAfter?.includes(name) ?? false);
}
