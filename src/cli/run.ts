/**
 * `resdsl run FILE ...`: run a .resdsl network or an .onnx file in the JS executor or
 * onnxruntime-node, on a .npy input or a seeded random one; print each output's description and
 * write the outputs (-o: .npz for all, .npy for one, `-` for .npy on standard output). Every
 * failure about the input files or the model is a Diagnostic, rendered by the one renderer.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import { inFile } from '../diagnostics/result.js';
import { compileFile, readBinary } from '../node/compile.js';
import { readNpy, writeNpy } from '../io/npy.js';
import { npzFits, writeNpz } from '../io/npz.js';
import type { Tensor } from '../io/tensor.js';
import type { OnnxModel } from '../onnx/model.js';
import { decodeModel } from '../onnx/read.js';
import { nodeExecutorOptions } from '../node/executor-host.js';
import { modelFileOptions } from '../node/external-data.js';
import { progress } from '../node/progress.js';
import { describeOutput, renderOutput } from '../report/outputs.js';
import { runModel, type Runtime } from '../runtime/run-model.js';
import { Rng } from '../weights/rng.js';
import { limits } from '../limits.js';
import { compileOptionsOf } from './compile-options.js';
import { CliError, UsageError, type Io } from './io.js';
import { checkOutputPath } from './output-path.js';
import type { Parsed } from './parse.js';
import { printDiagnostics } from './print-diagnostics.js';
import { STDOUT, writeBinaryToStdout, writeOrFail } from './write.js';

/** A failure to report: the diagnostic, rendered by the caller. */
class Failed extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** The flags that only mean something for a .resdsl source. */
const sourceOnly = ['network', 'weights', 'shortcut', 'no-fuse'] as const;

function loadModel(file: string, args: Parsed, io: Io, maxErrors: number): OnnxModel | undefined {
  if (file.endsWith('.onnx')) {
    const given = sourceOnly.filter((f) => args.has(f));
    if (given.length) throw new UsageError(`--${given[0]} applies to .resdsl sources; ${file} is a compiled model`);
    const bytes = readBinary(file);
    if ('message' in bytes) throw new Failed(error('E0501', bytes.message, file));
    const r = inFile(decodeModel(bytes.bytes, modelFileOptions(file)), file);
    if (!r.ok) throw new Failed(r.error);
    if (r.value.outputs.length === 0) throw new Failed(error('E0801', 'the model has no outputs', file));
    return r.value;
  }
  const r = compileFile(file, compileOptionsOf(args));
  printDiagnostics(io, r.diagnostics, r.sources, maxErrors);
  return r.ok ? r.model : undefined;
}

/** The input: a .npy file checked against the model's input type, or seeded normal values with a line that says so. */
function makeInput(model: OnnxModel, args: Parsed, file: string): { input: Tensor; note?: string } {
  const decl = model.inputs[0];
  if (!decl) throw new Failed(error('E0704', 'the model has no input', file));
  const want = decl.shape;
  const inputFile = args.string('input');
  if (inputFile !== undefined) {
    const bytes = readBinary(inputFile);
    if ('message' in bytes) throw new Failed(error('E0501', bytes.message, inputFile));
    const r = inFile(readNpy(bytes.bytes), inputFile);
    if (!r.ok) throw new Failed(r.error);
    const t = r.value;
    if (t.dims.length !== want.length || want.some((d, i) => typeof d === 'number' && d !== t.dims[i]))
      throw new Failed(error('E0704', `the array holds [${t.dims.join(', ')}], but input ${decl.name} is [${want.join(', ')}]`, inputFile));
    return { input: t };
  }
  const batch = args.int('batch');
  const dims = want.map((d) => (typeof d === 'number' ? d : batch));
  // a read .onnx file may declare any shape: check it before allocating the input
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new Failed(error('E0704', `input ${decl.name} has shape [${want.join(', ')}], which is not a valid tensor shape`, file));
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > limits.maxTensorElements * batch)
    throw new Failed(error('E0704', `input ${decl.name} of shape [${dims.join(', ')}] is too large: more than ${limits.maxTensorElements} elements per sample`, file));
  const data = new Float32Array(count);
  const seed = args.int('seed');
  new Rng(seed).fillNormal(data, 0, 1);
  const hint = args.flag('random') ? '' : ' (give --input X.npy for real data)';
  return { input: { dims, data }, note: `input ${decl.name}: random normal values of shape [${dims.join(', ')}], seed ${seed}, batch ${batch}${hint}` };
}

/** Before running: the outputs fit what -o writes (.npz all of them, .npy and - one). */
function checkOutputs(out: string, names: readonly string[], file: string): void {
  if (out.endsWith('.npz')) {
    if (new Set(names).size !== names.length) throw new CliError(`${file} names two outputs alike; write one at a time as .npy with --output NAME`);
  } else if (names.length > 1) {
    throw new CliError(
      `the model has ${names.length} outputs (${names.join(', ')}) and ${out === STDOUT ? '-o -' : out} holds one; pick it with --output NAME, or write all of them to an .npz file`,
    );
  }
}

async function writeOutputs(io: Io, out: string, outputs: readonly { name: string; tensor: Tensor }[]): Promise<void> {
  if (out === STDOUT) return writeBinaryToStdout(io, writeNpy(outputs[0]!.tensor), '.npy data');
  if (!out.endsWith('.npz')) return writeOrFail([{ path: out, data: writeNpy(outputs[0]!.tensor) }]);
  const arrays = outputs.map((o) => [o.name, o.tensor] as const);
  if (!npzFits(arrays)) throw new CliError('the outputs are too large for an .npz file (4 GiB at most); write one at a time as .npy with --output NAME');
  return writeOrFail([{ path: out, data: writeNpz(arrays) }]);
}

export async function runCommand(args: Parsed, io: Io): Promise<number> {
  const file = args.positionals[0]!;
  if (args.has('input') && args.flag('random')) throw new UsageError('give --input or --random, not both');
  const runtime = args.choice<Runtime>('runtime');
  const threads = args.int('threads') as 1 | 2;
  const repeat = args.int('repeat');
  const maxErrors = args.int('max-errors');
  const out = args.string('out');
  if (out !== undefined && out !== STDOUT) checkOutputPath(out, [file, args.string('input'), args.string('weights')]);
  if (out !== undefined && out !== STDOUT && !/\.np[yz]$/.test(out)) throw new UsageError(`-o writes .npy or .npz files (or - for standard output), not ${out}`);
  if (out === STDOUT && args.flag('json')) throw new UsageError('--json and -o - would both write to standard output; give -o a file');
  try {
    const model = loadModel(file, args, io, maxErrors);
    if (!model) return 1;
    const wanted = args.string('output');
    if (wanted !== undefined && !model.outputs.some((o) => o.name === wanted))
      throw new CliError(`the model has no output ${wanted}; its outputs are ${model.outputs.map((o) => o.name).join(', ')}`);
    if (out !== undefined) checkOutputs(out, model.outputs.map((o) => o.name).filter((n) => wanted === undefined || n === wanted), file);
    const { input, note } = makeInput(model, args, file);
    const bar = progress(`run ${file}`, { enabled: !args.flag('json') });
    const r = inFile(await runModel(model, input, { runtime, threads, repeat, executor: nodeExecutorOptions(), onRun: (i, n) => bar.update(i, n, 'timed runs') }).finally(() => bar.done()), file);
    if (!r.ok) throw new Failed(r.error);
    const outputs = r.value.outputs.filter((o) => wanted === undefined || o.name === wanted);
    const summaries = outputs.map((o) => describeOutput(o.name, o.tensor));
    if (out !== undefined) await writeOutputs(io, out, outputs);
    if (note) io.err(note);
    // with -o - standard output holds the array: the descriptions go to stderr
    const say = out === STDOUT ? (t: string) => io.err(t) : (t: string) => io.out(t);
    if (args.flag('json')) {
      say(JSON.stringify({ runtime, threads, outputs: summaries, ...(r.value.medianMs !== undefined ? { median_ms: r.value.medianMs, repeat } : {}) }, null, 2));
    } else {
      for (const s of summaries) say(renderOutput(s));
      if (r.value.medianMs !== undefined) say(`median of ${repeat} runs (${runtime}, ${threads} thread${threads === 1 ? '' : 's'}): ${r.value.medianMs.toFixed(2)} ms`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof Failed)) throw e;
    printDiagnostics(io, [e.diagnostic], new Map(), maxErrors);
    return 1;
  }
}
