/**
 * A job through the whole pipeline, as `resdsl compile` runs it: the same options (shortcut,
 * seed, fusion, the network as `-n`), the default opset, and the bundled sources. Shared by the
 * workers.
 */
import { renderText } from '../../src/diagnostics/render.js';
import type { OnnxModel } from '../../src/onnx/model.js';
import { compile } from '../../src/pipeline/index.js';
import type { Failure, Job } from './protocol.js';
import { host } from './sources.js';

export function compileJob(job: Job): { ok: true; model: OnnxModel; network: string; ms: number } | Failure {
  const t0 = performance.now();
  const r = compile(job.file, {
    host,
    text: job.text,
    shortcut: job.options.shortcut,
    weights: { seed: job.options.seed },
    fuse: job.options.fuse,
    ...(job.network !== undefined ? { network: job.network } : {}),
  });
  if (!r.ok) return { ok: false, message: renderText(r.diagnostics, r.sources) || 'the file has no network to compile' };
  return { ok: true, model: r.model, network: r.graph.name, ms: performance.now() - t0 };
}
