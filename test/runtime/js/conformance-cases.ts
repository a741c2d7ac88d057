/**
 * Loads the cases of ONNX's backend test suites (model.onnx, and input_N.pb and output_N.pb in
 * each test_data_set_N directory) with read.ts, and sorts them into cases to run, cases with
 * unsupported operators, and cases excluded with a reason.
 */
import { externalFiles } from '../../../src/node/external-data.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnnxModel, OnnxTensor } from '../../../src/onnx/model.js';
import { decodeModel, decodeTensor } from '../../../src/onnx/read.js';
import { isSupportedOp } from '../../../src/runtime/js/ops.js';

export interface DataSet {
  inputs: OnnxTensor[];
  outputs: OnnxTensor[];
}

export type Case =
  | { name: string; kind: 'unsupported-op'; ops: string[] }
  | { name: string; kind: 'excluded'; reason: string }
  | { name: string; kind: 'run'; model: OnnxModel; sets: DataSet[] };

function readSet(dir: string, prefix: string): OnnxTensor[] | string {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)));
  const out: OnnxTensor[] = [];
  for (const f of files) {
    const t = decodeTensor(readFileSync(join(dir, f)));
    if (!t.ok) return `${f}: ${t.error.message}`;
    out.push(t.value);
  }
  return out;
}

/**
 * Int64 graph inputs (Reshape's shape, Pad's pads) cannot be fed to the float32 executor; their
 * test values become initializers, which is what a model meant for inference would hold.
 */
export function bindInt64Inputs(model: OnnxModel, inputs: OnnxTensor[]): { model: OnnxModel; inputs: OnnxTensor[] } {
  const initializers = [...model.initializers];
  const keep: OnnxModel['inputs'] = [];
  const fed: OnnxTensor[] = [];
  model.inputs.forEach((v, i) => {
    const t = inputs[i]!;
    if (v.elemType === 'int64') initializers.push({ ...t, name: v.name });
    else {
      keep.push(v);
      fed.push(t);
    }
  });
  return { model: { ...model, inputs: keep, initializers }, inputs: fed };
}

export function loadCase(root: string, name: string): Case {
  const dir = join(root, name);
  const bytes = readFileSync(join(dir, 'model.onnx'));
  const decoded = decodeModel(bytes, { external: externalFiles(dir) });
  if (!decoded.ok) return { name, kind: 'excluded', reason: `not readable: ${decoded.error.message}` };
  const model = decoded.value;
  const ops = [...new Set(model.nodes.map((n) => (n.domain === '' ? n.opType : `${n.domain}.${n.opType}`)))];
  const unsupported = ops.filter((op) => !isSupportedOp(op));
  if (unsupported.length > 0) return { name, kind: 'unsupported-op', ops: unsupported };
  // int64 graph inputs are bound as constants (below); int64 outputs (a Shape) are compared exactly.
  const types = [...model.inputs, ...model.outputs].filter((v) => v.elemType !== 'float32' && v.elemType !== 'int64');
  if (types.length > 0) return { name, kind: 'excluded', reason: `non-float32 dtype: ${types.map((v) => `${v.name} is ${v.elemType}`).join(', ')}` };
  const sets: DataSet[] = [];
  for (const d of readdirSync(dir).filter((f) => f.startsWith('test_data_set_')).sort()) {
    const ins = readSet(join(dir, d), 'input_');
    const outs = readSet(join(dir, d), 'output_');
    if (typeof ins === 'string' || typeof outs === 'string') return { name, kind: 'excluded', reason: `test data: ${ins}${outs}` };
    sets.push({ inputs: ins, outputs: outs });
  }
  return { name, kind: 'run', model, sets };
}

export function caseNames(root: string): string[] {
  return existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'model.onnx'))).sort() : [];
}

