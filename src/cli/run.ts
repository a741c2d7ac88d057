/** `resdsl run FILE ...`: run a .resdsl network or an .onnx file in the JS executor or onnxruntime-node, on a .npy or random input. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderText } from '../diagnostics/render.js';
import { compileFile } from '../node/compile.js';
import { readNpy, writeNpy } from '../io/npy.js';
import type { Tensor } from '../runtime/js/tensor.js';
import type { OnnxModel } from '../onnx/model.js';
import { decodeModel } from '../onnx/read.js';
import { modelFileOptions } from '../node/external-data.js';
import { describeOutput, runModel } from '../runtime/run-model.js';
import { Rng } from '../weights/rng.js';
import { limits } from '../limits.js';
import { writeFileAtomic } from '../node/atomic-write.js';
import { compileFlagsOf, intFlag, oneOf, parse, str } from './args.js';
import { CliError, UsageError, type Io } from './io.js';
import { runUsage } from './usage.js';
import { checkOutputPath } from './output-path.js';

function readFile(file: string, what: string): Uint8Array {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new CliError(`${what} ${file} is a folder`);
    if (!st.isFile()) throw new CliError(`cannot read ${what} ${file}: not a regular file`);
    return fs.readFileSync(file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

function loadModel(file: string, values: Record<string, unknown>, io: Io): OnnxModel | undefined {
  if (file.endsWith('.onnx')) {
    const r = decodeModel(readFile(file, 'model'), modelFileOptions(file));
    if (!r.ok) throw new CliError(`error[${r.error.code}]: ${file}: ${r.error.message}`);
    if (r.value.outputs.length === 0) throw new CliError(`error[E0801]: ${file}: the model has no outputs`);
    return r.value;
  }
  const r = compileFile(file, compileFlagsOf(values));
  if (r.ok) return r.model;
  io.err(renderText(r.diagnostics, r.sources));
  return undefined;
}

/** The input: a .npy file checked against the model's input type, or seeded normal values. */
function makeInput(model: OnnxModel, values: Record<string, unknown>): Tensor {
  const decl = model.inputs[0];
  if (!decl) throw new CliError('error[E0704]: the model has no input');
  const want = decl.shape;
  const inputFile = str(values.input);
  if (inputFile !== undefined) {
    const r = readNpy(readFile(inputFile, 'input'));
    if (!r.ok) throw new CliError(`error[${r.error.code}]: ${inputFile}: ${r.error.message}`);
    const t = r.value;
    if (t.dims.length !== want.length || want.some((d, i) => typeof d === 'number' && d !== t.dims[i]))
      throw new CliError(`error[E0704]: ${inputFile} holds [${t.dims.join(', ')}], but input ${decl.name} is [${want.join(', ')}]`);
    return t;
  }
  const batch = intFlag('--batch', values.batch, 1, 1, 4096);
  const dims = want.map((d) => (typeof d === 'number' ? d : batch));
  // a read .onnx file may declare any shape: check it before allocating the input
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new CliError(`error[E0704]: input ${decl.name} has shape [${want.join(', ')}], which is not a valid tensor shape`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > limits.maxTensorElements * batch)
    throw new CliError(`error[E0704]: input ${decl.name} of shape [${dims.join(', ')}] is too large: more than ${limits.maxTensorElements} elements per sample`);
  const data = new Float32Array(count);
  new Rng(intFlag('--seed', values.seed, 0, 0, 2 ** 32 - 1)).fillNormal(data, 0, 1);
  return { dims, data };
}

export async function runCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    network: { type: 'string', short: 'n' },
    input: { type: 'string' },
    random: { type: 'boolean' },
    seed: { type: 'string' },
    batch: { type: 'string' },
    output: { type: 'string', short: 'o' },
    runtime: { type: 'string' },
    threads: { type: 'string' },
    weights: { type: 'string' },
    shortcut: { type: 'string' },
    'no-fuse': { type: 'boolean' },
    repeat: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError(`run takes one file\n${runUsage}`);
  if (values.input !== undefined && values.random) throw new UsageError('give --input or --random, not both');
  const file = positionals[0]!;
  const runtime = oneOf('--runtime', values.runtime, ['js', 'ort'] as const, 'js');
  const threads = intFlag('--threads', values.threads, 1, 1, 2) as 1 | 2;
  const repeat = intFlag('--repeat', values.repeat, 0, 0, 100_000);
  const out = str(values.output);
  if (out !== undefined) checkOutputPath(out, [file, str(values.input), str(values.weights)]);
  const model = loadModel(file, values, io);
  if (!model) return 1;
  const input = makeInput(model, values);
  const r = await runModel(model, input, { runtime, threads, repeat });
  if (!r.ok) throw new CliError(r.message);
  const summaries = r.value.outputs.map((o) => describeOutput(o.name, o.tensor));
  if (out !== undefined) {
    try {
      await writeFileAtomic(out, writeNpy(r.value.outputs[0]!.tensor));
    } catch (e) {
      throw new CliError(`cannot write ${out}: ${(e as Error).message}`);
    }
  }
  if (values.json) {
    io.out(JSON.stringify({ runtime, threads, outputs: summaries, ...(r.value.medianMs !== undefined ? { median_ms: r.value.medianMs, repeat } : {}) }, null, 2));
  } else {
    for (const s of summaries)
      io.out(`${s.name}: [${s.shape.join(', ')}] min ${s.min.toPrecision(5)} max ${s.max.toPrecision(5)} mean ${s.mean.toPrecision(5)}${s.argmax ? ` argmax ${s.argmax.join(', ')}` : ''}`);
    if (r.value.medianMs !== undefined) io.out(`median of ${repeat} runs (${runtime}, ${threads} thread${threads === 1 ? '' : 's'}): ${r.value.medianMs.toFixed(2)} ms`);
  }
  return 0;
}
