/**
 * `resdsl run` and its outputs: -o .npz writes every output (numpy reads them: test/io/npz.test.ts),
 * -o .npy on a network of several outputs is an error naming them and --output, --output NAME
 * picks one, -o - writes .npy bytes to a pipe and refuses a terminal; NaN and infinities are
 * counted, and min, max and mean are over the finite values; a random input is said on stderr.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readNpy } from '../../src/io/npy.js';
import { compileFile } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';
import { describeOutput, renderOutput } from '../../src/report/outputs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-run-outputs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  return { code, out, err };
}

const two = path.join(dir, 'two.resdsl');
fs.writeFileSync(
  two,
  'network two {\n  input img: f32[N, 3, 8, 8]\n  stem: <conv3(4); bn; relu>\n  gap; flatten; fc(5)\n  output feats = stem\n  output logits\n}\n',
);

/** The .npy members of an .npz file, by name (stored members: the bytes are there as they are). */
function npzMembers(file: string): Map<string, number[]> {
  const b = fs.readFileSync(file);
  const out = new Map<string, number[]>();
  let p = 0;
  while (b.readUInt32LE(p) === 0x04034b50) {
    const size = b.readUInt32LE(p + 18);
    const nameLength = b.readUInt16LE(p + 26);
    const name = b.subarray(p + 30, p + 30 + nameLength).toString('utf8');
    const r = readNpy(b.subarray(p + 30 + nameLength, p + 30 + nameLength + size));
    if (!r.ok) throw new Error(r.error.message);
    out.set(name, r.value.dims);
    p += 30 + nameLength + size;
  }
  return out;
}

describe('run -o with several outputs', () => {
  it('.npz writes all of them', async () => {
    const y = path.join(dir, 'all.npz');
    const r = await cli('run', two, '-o', y);
    expect(r.code, r.err).toBe(0);
    expect(npzMembers(y)).toEqual(new Map([['feats.npy', [1, 4, 8, 8]], ['logits.npy', [1, 5]]]));
    expect(r.out).toMatch(/^feats: \[1, 4, 8, 8\] min .*\nlogits: \[1, 5\] min /);
  });

  it('.npy is an error naming the outputs and --output, before anything runs or is written', async () => {
    const y = path.join(dir, 'one.npy');
    const r = await cli('run', two, '-o', y);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      `resdsl: the model has 2 outputs (feats, logits) and ${y} holds one; pick it with --output NAME, or write all of them to an .npz file`,
    );
    expect(fs.existsSync(y)).toBe(false);
  });

  it('--output NAME picks one, to print and to write', async () => {
    const y = path.join(dir, 'logits.npy');
    const r = await cli('run', two, '--output', 'logits', '-o', y);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^logits: \[1, 5\] /);
    expect(r.out).not.toContain('feats');
    const back = readNpy(fs.readFileSync(y));
    expect(back.ok && back.value.dims).toEqual([1, 5]);
    const bad = await cli('run', two, '--output', 'constructor');
    expect(bad.code).toBe(1);
    expect(bad.err.trim()).toBe('resdsl: the model has no output constructor; its outputs are feats, logits');
  });

  it('-o - writes .npy bytes to a pipe, with the descriptions on stderr; a terminal is refused', () => {
    const bin = path.resolve('bin/resdsl.js');
    const r = spawnSync(process.execPath, [bin, 'run', two, '--output', 'logits', '-o', '-'], { maxBuffer: 2 ** 20 });
    expect(r.status, r.stderr.toString()).toBe(0);
    const back = readNpy(new Uint8Array(r.stdout));
    expect(back.ok && back.value.dims).toEqual([1, 5]);
    expect(r.stderr.toString()).toMatch(/logits: \[1, 5\] min /);
    const tty = { out: () => undefined, err: () => undefined, outBytes: async () => undefined, outIsTerminal: true, cwd: '.' };
    return main(['run', two, '--output', 'logits', '-o', '-'], tty).then((code) => expect(code).toBe(1));
  });

  it('-o with another extension, -o - with --json, and source flags on an .onnx file are usage errors', async () => {
    const c = compileFile('examples/cifar_resnet20.resdsl');
    if (!c.ok) throw new Error('compile failed');
    const onnx = path.join(dir, 'c20.onnx');
    fs.writeFileSync(onnx, encodeModel(c.model).model);
    for (const [argv, message] of [
      [['run', two, '-o', path.join(dir, 'y.bin')], /^resdsl: -o writes \.npy or \.npz files \(or - for standard output\), not /],
      [['run', two, '-o', '-', '--json'], /^resdsl: --json and -o - would both write to standard output; give -o a file$/],
      [['run', onnx, '--shortcut', 'C'], /^resdsl: --shortcut applies to \.resdsl sources; .*c20\.onnx is a compiled model$/],
      [['run', onnx, '-n', 'x'], /^resdsl: --network applies to \.resdsl sources; /],
    ] as const) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err.trim()).toMatch(message);
    }
  });

  it('a random input is said on stderr, with its seed and batch', async () => {
    const r = await cli('run', two, '--output', 'logits', '--seed', '7', '--batch', '2');
    expect(r.err.trim()).toBe('input img: random normal values of shape [2, 3, 8, 8], seed 7, batch 2 (give --input X.npy for real data)');
  });
});

describe('NaN and infinities in outputs', () => {
  it('are counted apart; min, max and mean are over the finite values', () => {
    const s = describeOutput('y', { dims: [1, 6], data: Float32Array.of(NaN, 1, Infinity, -3, -Infinity, 2) });
    expect(s).toEqual({ name: 'y', shape: [1, 6], min: -3, max: 2, mean: 0, nan: 1, inf: 2, argmax: [2] });
    expect(renderOutput(s)).toBe('y: [1, 6] min -3.0000 max 2.0000 mean 0.0000, nan 1, inf 2 argmax 2');
    const none = describeOutput('z', { dims: [2], data: Float32Array.of(NaN, NaN) });
    expect(renderOutput(none)).toBe('z: [2] no finite values, nan 2');
    expect(JSON.parse(JSON.stringify(none))).toMatchObject({ min: null, max: null, mean: null, nan: 2, inf: 0 });
  });

  it('of a model with NaN and infinite biases, in the text and the JSON of run', async () => {
    const c = compileFile('examples/cifar_resnet20.resdsl');
    if (!c.ok) throw new Error('compile failed');
    const bias = c.model.initializers.find((t) => t.name === 'fc.bias')!;
    bias.data.set([NaN, Infinity, -Infinity]);
    const f = path.join(dir, 'nan.onnx');
    fs.writeFileSync(f, encodeModel(c.model).model);
    for (const runtime of ['js', 'ort']) {
      const text = await cli('run', f, '--runtime', runtime);
      expect(text.out).toMatch(/^logits: \[1, 10\] min -?\d\.\d+ max \d\.\d+ mean -?\d\.\d+, nan 1, inf 2 argmax \d$/m);
      const json = JSON.parse((await cli('run', f, '--runtime', runtime, '--json')).out);
      expect(json.outputs[0]).toMatchObject({ nan: 1, inf: 2 });
      expect(Number.isFinite(json.outputs[0].min)).toBe(true);
    }
  });
});
