/** The ONNX worker's job: compile, and encode the model as `resdsl compile -o` writes it. */
import { encodeModel } from '../../src/onnx/write.js';
import { compileJob } from './compile-job.js';
import type { Job, OnnxDone } from './protocol.js';
import type { Handler } from './worker-host.js';

export const onnxJob: Handler<Job, OnnxDone> = (job) => {
  const c = compileJob(job);
  if (!c.ok) return { result: c };
  const encoded = encodeModel(c.model);
  if (encoded.externalData) return { result: { ok: false, message: `the model is too large for one file (over 2 GiB of weights): compile it with the CLI, which writes its weights to ${encoded.externalLocation}` } };
  const ops = new Map<string, number>();
  for (const n of c.model.nodes) ops.set(n.opType, (ops.get(n.opType) ?? 0) + 1);
  const result: OnnxDone = {
    ok: true,
    network: c.network,
    bytes: encoded.model,
    nodes: c.model.nodes.length,
    initializers: c.model.initializers.length,
    opset: c.model.opsetVersion,
    ops: [...ops].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    metadata: Object.entries(c.model.metadata).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    compileMs: c.ms,
  };
  return { result, transfer: [encoded.model.buffer as ArrayBuffer] };
};
