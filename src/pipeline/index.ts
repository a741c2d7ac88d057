/**
 * The pipeline as a library: the stage list (stages.ts), and the two ways commands use it:
 * checking a file's networks (a prefix of the stages) and compiling one network to ONNX (all of
 * them). File access goes through the options' SourceHost; weights come as bytes.
 */
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { IrGraph } from '../ir/types.js';
import { materializeModel, type LazyOnnxModel, type OnnxModel } from '../onnx/model.js';
import { runPipeline, type NetworkUnit, type PipelineOptions, type StageName } from './stages.js';

export { stages, runPipeline, runPasses, sourceHash, type Stage, type StageName, type PipelineOptions, type PipelineState, type NetworkUnit } from './stages.js';

export interface FrontEndResult {
  networks: NetworkUnit[];
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

/** The stages up to `last` (`expect` for check, `shortcut` for summary) on every network asked for. */
export function frontEnd(file: string, opts: PipelineOptions, last: StageName = 'expect'): FrontEndResult {
  const s = runPipeline(file, last, opts);
  return { networks: s.networks, diagnostics: s.diagnostics, sources: s.sources };
}

export type CompileResult =
  | { ok: true; graph: IrGraph; model: OnnxModel; sources: Map<string, string>; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string> };

/**
 * Every stage on the one network of `file` (or `opts.network`), with every tensor's data in the
 * model (what the executor runs). The graph's seeded and fused tensors stay made on demand: read
 * them with tensorValues (ir/tensor-values.ts).
 */
export function compile(file: string, opts: PipelineOptions): CompileResult {
  const r = compileLazy(file, opts);
  return r.ok ? { ...r, model: materializeModel(r.model) } : r;
}

export type LazyCompileResult =
  | { ok: true; graph: IrGraph; model: LazyOnnxModel; sources: Map<string, string>; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string> };

/**
 * `compile`, with the model's seeded and fused tensors made on demand: what writing a model file
 * takes (onnx/write.ts streamModel makes, writes and drops them one at a time).
 */
export function compileLazy(file: string, opts: PipelineOptions): LazyCompileResult {
  const s = runPipeline(file, 'lower', { ...opts, single: opts.network === undefined });
  const net = s.networks[0];
  if (hasErrors(s.diagnostics) || !net?.model) return { ok: false, diagnostics: s.diagnostics, sources: s.sources };
  return { ok: true, graph: net.graph, model: net.model, sources: s.sources, diagnostics: s.diagnostics };
}
