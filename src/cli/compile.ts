/** `resdsl compile FILE -o OUT.onnx ...`: compile a network to ONNX (or print its IR, or write it as a PyTorch module), written atomically. */
import * as path from 'node:path';
import { compileFileLazy } from '../node/compile.js';
import { nodeHost } from '../node/host.js';
import { emitPyTorch } from '../pytorch/index.js';
import { streamModel, type StreamedModel } from '../onnx/write.js';
import { printGraph } from '../ir/print.js';
import { stages } from '../pipeline/index.js';
import type { FileToWrite } from '../node/atomic-write.js';
import { progress, type Progress } from '../node/progress.js';
import { weightWorkerFor, type WeightWorker } from '../node/seeded-weights.js';
import { compileOptionsOf } from './compile-options.js';
import { UsageError, type Io } from './io.js';
import { checkOutputPath } from './output-path.js';
import type { Parsed } from './parse.js';
import { printDiagnostics } from './print-diagnostics.js';
import { STDOUT, writeOrFail } from './write.js';

export async function compileCommand(args: Parsed, io: Io): Promise<number> {
  if (args.flag('passes')) {
    io.out(stages.map((s) => `${s.name.padEnd(10)} ${(s.name === 'fuse' ? '(--no-fuse)' : s.optional ? '(check only)' : '').padEnd(12)} ${s.does}`).join('\n'));
    return 0;
  }
  const file = args.positionals[0]!;
  const emit = args.choice<'onnx' | 'ir' | 'pytorch'>('emit');
  if (emit === 'pytorch') return pytorch(args, io, file);
  const out = args.string('out');
  if (emit === 'onnx' && out === undefined) throw new UsageError('compile needs -o FILE.onnx, where to write the model (or --emit ir to print the IR)');
  if (emit === 'onnx' && out === STDOUT) throw new UsageError('-o - writes the IR to standard output with --emit ir; the model needs a file');
  const weights = args.string('weights');
  if (out !== undefined && out !== STDOUT) checkOutputPath(out, [file, weights]);
  const printAfter = args.all('print-after');
  // a large network takes seconds: a progress line on a terminal (not while the IR is printed)
  const bar = progress(`compile ${file}`, { enabled: printAfter.length === 0 });
  try {
    return await compileWith(args, io, file, emit, out, printAfter, bar);
  } finally {
    bar.done();
  }
}

async function compileWith(args: Parsed, io: Io, file: string, emit: 'onnx' | 'ir', out: string | undefined, printAfter: readonly string[], bar: Progress): Promise<number> {
  // seeded weights written to a model: their making is shared with a worker thread (node/seeded-weights.ts)
  const worker = emit === 'onnx' && !args.has('weights') ? weightWorkerFor() : undefined;
  try {
    return await compileTo(args, io, file, emit, out, printAfter, bar, worker);
  } finally {
    const report = worker?.close();
    if (report?.failure !== undefined) io.err(`note: ${report.failure}; the main thread made the remaining weights`);
    if (report !== undefined && process.env['RESDSL_WEIGHT_WORKER'] === 'stats') io.err(`weights: ${report.fromWorker} of ${report.planned} planned tensors made by the worker thread`);
  }
}

async function compileTo(args: Parsed, io: Io, file: string, emit: 'onnx' | 'ir', out: string | undefined, printAfter: readonly string[], bar: Progress, worker: WeightWorker | undefined): Promise<number> {
  const r = compileFileLazy(file, {
    ...compileOptionsOf(args),
    ...(worker ? { makeSeeded: worker.make } : {}),
    opset: args.int('opset'),
    verify: args.flag('verify'),
    ...(printAfter.length ? { printAfter: printAfter.includes('all') ? ('all' as const) : printAfter } : {}),
    onPrint: (stage, _network, text) => io.out(`// after ${stage}\n${text}`),
    onStage: (stage, i, n) => bar.update(i, n + 1, stage),
  });
  bar.done();
  printDiagnostics(io, r.diagnostics, r.sources, args.int('max-errors'));
  if (!r.ok) return 1;
  if (emit === 'ir') {
    const text = printGraph(r.graph);
    if (out === undefined || out === STDOUT) io.out(text);
    else await writeOrFail([{ path: out, data: new TextEncoder().encode(text.endsWith('\n') ? text : `${text}\n`) }]);
    return 0;
  }
  worker?.plan(r.model.initializers.map((t) => t.name));
  const location = `${path.basename(out!)}.data`;
  // the tensors are made as they are written, one at a time: the weights are never all in memory
  const encoded = streamModel(r.model, {
    ...(args.flag('external-data') ? { externalData: { location } } : {}),
    autoExternalLocation: location,
  });
  // returned, not awaited here: the IR graph and the model's nodes (in r) are no longer held while the file is written
  return writeStreamed(encoded, out!, `${r.model.nodes.length} nodes, ${r.model.initializers.length} initializers`, io, bar);
}

/** Writes a streamed model (and its external data), each tensor made as it is written; the progress line counts MiB written. */
async function writeStreamed(encoded: StreamedModel, out: string, counts: string, io: Io, bar: Progress): Promise<number> {
  const size = encoded.model.byteLength + (encoded.external?.byteLength ?? 0);
  let written = 0;
  const counted = (chunks: Iterable<Uint8Array>): Iterable<Uint8Array> => ({
    *[Symbol.iterator]() {
      for (const c of chunks) {
        yield c;
        written += c.length;
        bar.update(Math.floor(written / 2 ** 20), Math.ceil(size / 2 ** 20), 'write');
      }
    },
  });
  const files: FileToWrite[] = [];
  if (encoded.external) files.push({ path: path.join(path.dirname(out), encoded.external.location), data: counted(encoded.external.chunks) });
  files.push({ path: out, data: counted(encoded.model.chunks) });
  await writeOrFail(files);
  bar.done();
  io.err(`wrote ${out} (${counts}, ${(size / 2 ** 20).toFixed(1)} MiB${encoded.external ? `, weights in ${encoded.external.location}` : ''})`);
  return 0;
}

/** --emit pytorch: the network as a PyTorch module's source, to -o FILE.py or standard output. */
async function pytorch(args: Parsed, io: Io, file: string): Promise<number> {
  if (args.has('weights')) throw new UsageError('--emit pytorch writes the network\'s code; its weights come from training (--weights is for ONNX)');
  const out = args.string('out');
  if (out !== undefined && out !== STDOUT) checkOutputPath(out, [file]);
  const { network, shortcut, shortcutGiven } = compileOptionsOf(args);
  const r = emitPyTorch(file, { host: nodeHost, shortcut: shortcut ?? 'B', ...(network !== undefined ? { network } : {}), ...(shortcutGiven ? { shortcutGiven } : {}) });
  printDiagnostics(io, r.diagnostics, r.sources, args.int('max-errors'));
  if (!r.ok) return 1;
  if (out === undefined || out === STDOUT) io.out(r.text);
  else {
    await writeOrFail([{ path: out, data: new TextEncoder().encode(r.text) }]);
    io.err(`wrote ${out} (class ${r.className}, ${r.text.split('\n').length - 1} lines)`);
  }
  return 0;
}
