/**
 * What a compiled model must do in onnxruntime-node: load, run on a zero input (symbolic batch 1),
 * and give every output with the shape the model declares (and, when the generator knows it, the
 * type the program computes), with finite values.
 */
import { modelFileOptions } from '../../src/node/external-data.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeModel } from '../../src/onnx/read.js';

const dimsOf = (shape: readonly (number | string)[]) => shape.map((d) => (typeof d === 'number' ? d : 1));

/** `f32[N, 8, 4, 4]` as dims at batch 1. */
export function typeDims(type: string): number[] {
  return type
    .replace(/^f32\[|\]$/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s === 'N' ? 1 : Number(s)));
}

/** Problems running the model at `file` (with its external data, if any) on zeros; empty when all is well. */
export async function ortProblems(file: string, want?: readonly { name: string; type: string }[]): Promise<string[]> {
  const bytes = fs.readFileSync(file);
  const decoded = decodeModel(bytes, modelFileOptions(file));
  if (!decoded.ok) return [`onnx: our own reader rejects the model: ${decoded.error.message}`];
  const model = decoded.value;
  let session: ort.InferenceSession;
  try {
    // from the bytes, as a user would; from the path where the weights are in an external file
    const external = fs.existsSync(`${file}.data`);
    session = external ? await ort.InferenceSession.create(file, { logSeverityLevel: 4 }) : await ort.InferenceSession.create(bytes, { logSeverityLevel: 4 });
  } catch (e) {
    return [`onnx: onnxruntime cannot load the model: ${(e as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  // onnxruntime-common keeps the outputs it fetches in a plain object, where `__proto__` is the
  // prototype: an output of that name cannot be fetched (resdsl run says so, E0804); loading is checked
  if (model.outputs.some((o) => o.name === '__proto__')) {
    await session.release();
    return [];
  }
  try {
    // fromEntries: an input named __proto__ is an entry, not the prototype
    const feeds = Object.fromEntries(
      model.inputs.map((i) => {
        const dims = dimsOf(i.shape);
        return [i.name, new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims)];
      }),
    );
    const out = new Map(Object.entries(await session.run(feeds)));
    for (const o of model.outputs) {
      const t = out.get(o.name);
      if (!t) {
        problems.push(`onnx: output ${o.name} is missing from the run`);
        continue;
      }
      const got = t.dims.map(Number);
      if (JSON.stringify(got) !== JSON.stringify(dimsOf(o.shape)))
        problems.push(`onnx: output ${o.name} has dims [${got}], the model declares [${o.shape}]`);
      if (!(t.data as Float32Array).every(Number.isFinite)) problems.push(`onnx: output ${o.name} holds values that are not finite`);
    }
    if (want) {
      const names = model.outputs.map((o) => o.name);
      if (JSON.stringify(names) !== JSON.stringify(want.map((w) => w.name)))
        problems.push(`onnx: outputs are ${names.join(', ')}, the program names ${want.map((w) => w.name).join(', ')}`);
      for (const w of want) {
        const t = out.get(w.name);
        if (t && JSON.stringify(t.dims.map(Number)) !== JSON.stringify(typeDims(w.type)))
          problems.push(`onnx: output ${w.name} has dims [${t.dims}], the program computes ${w.type}`);
      }
    }
  } catch (e) {
    problems.push(`onnx: onnxruntime fails on a zero input: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await session.release();
  }
  return problems;
}
