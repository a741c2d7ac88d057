/** `resdsl compile FILE -o OUT.onnx ...`: compile a network to ONNX (or print its IR), written atomically. */
import * as path from 'node:path';
import { renderText } from '../diagnostics/render.js';
import { compileFile } from '../node/compile.js';
import { encodeModelParts } from '../onnx/write.js';
import { defaultOpset, supportedOpsets } from '../onnx/lower.js';
import { printGraph } from '../ir/print.js';
import { stages } from '../pipeline/index.js';
import { writeFilesAtomic, type FileToWrite } from '../node/atomic-write.js';
import { compileFlagsOf, intFlag, oneOf, parse, str } from './args.js';
import { CliError, UsageError, type Io } from './io.js';
import { compileUsage } from './usage.js';
import { checkOutputPath } from './output-path.js';

export const compileFlags = {
  network: { type: 'string', short: 'n' },
  output: { type: 'string', short: 'o' },
  weights: { type: 'string' },
  seed: { type: 'string' },
  'no-fuse': { type: 'boolean' },
  shortcut: { type: 'string' },
  opset: { type: 'string' },
  'external-data': { type: 'boolean' },
  emit: { type: 'string' },
  'print-after': { type: 'string', multiple: true },
  verify: { type: 'boolean' },
  passes: { type: 'boolean' },
} as const;

export async function compileCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, compileFlags);
  if (values.passes) {
    io.out(stages.map((s) => `${s.name.padEnd(10)} ${(s.name === 'fuse' ? '(--no-fuse)' : s.optional ? '(check only)' : '').padEnd(12)} ${s.does}`).join('\n'));
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`compile takes one file\n${compileUsage}`);
  const file = positionals[0]!;
  const emit = oneOf('--emit', values.emit, ['onnx', 'ir'] as const, 'onnx');
  const out = str(values.output);
  if (emit === 'onnx' && out === undefined) throw new UsageError(`compile needs -o OUT.onnx\n${compileUsage}`);
  const opset = intFlag('--opset', values.opset, defaultOpset, 0);
  if (!(supportedOpsets as readonly number[]).includes(opset)) throw new UsageError(`--opset must be one of ${supportedOpsets.join(', ')}, not ${opset}`);
  const weights = str(values.weights);
  if (out !== undefined) checkOutputPath(out, [file, weights]);
  const printAfter = values['print-after'] as string[] | undefined;
  const known = stages.filter((s) => s.ir).map((s) => s.name);
  for (const p of printAfter ?? []) if (p !== 'all' && !known.includes(p)) throw new UsageError(`--print-after takes all or a stage that changes the IR: ${known.join(', ')}; not ${p}`);
  const r = compileFile(file, {
    ...compileFlagsOf(values),
    opset,
    verify: values.verify === true,
    ...(printAfter ? { printAfter: printAfter.includes('all') ? ('all' as const) : printAfter } : {}),
    onPrint: (stage, _network, text) => io.out(`// after ${stage}\n${text}`),
  });
  if (!r.ok) {
    io.err(renderText(r.diagnostics, r.sources));
    return 1;
  }
  if (emit === 'ir') {
    const text = printGraph(r.graph);
    if (out === undefined) io.out(text);
    else await writeOrFail(out, [{ path: out, data: new TextEncoder().encode(text.endsWith('\n') ? text : `${text}\n`) }]);
    return 0;
  }
  const location = `${path.basename(out!)}.data`;
  const encoded = encodeModelParts(r.model, {
    ...(values['external-data'] ? { externalData: { location } } : {}),
    autoExternalLocation: location,
  });
  const files: FileToWrite[] = [];
  if (encoded.external) files.push({ path: path.join(path.dirname(out!), encoded.external.location), data: encoded.external.chunks });
  files.push({ path: out!, data: encoded.modelChunks });
  await writeOrFail(out!, files);
  const size = encoded.modelByteLength + (encoded.external?.byteLength ?? 0);
  io.err(`wrote ${out} (${r.model.nodes.length} nodes, ${r.model.initializers.length} initializers, ${(size / 2 ** 20).toFixed(1)} MiB${encoded.external ? `, weights in ${encoded.external.location}` : ''})`);
  return 0;
}

/** Writes the files atomically; a failure (no such folder, no permission, disk full) is one line, exit 1. */
async function writeOrFail(out: string, files: FileToWrite[]): Promise<void> {
  try {
    await writeFilesAtomic(files);
  } catch (e) {
    throw new CliError(`cannot write ${out}: ${(e as Error).message}`);
  }
}
