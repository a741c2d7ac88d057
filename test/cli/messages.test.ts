/**
 * The messages of the command line tool: a binary or ONNX file given as a source says what it is
 * and which command reads it (by extension and by content); a missing file is said one way; a
 * write into a missing folder names the user's path, never the temporary file; a folder with
 * nothing to check is an error; `--max-errors` caps what every format shows; `-o -` prints the IR.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writeNpy } from '../../src/io/npy.js';
import { writeNpz } from '../../src/io/npz.js';
import { writeSafetensors } from '../../src/io/safetensors.js';
import { compileFile } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-messages-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  return { code, out, err };
}

function write(name: string, data: string | Uint8Array | Uint8Array[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, Array.isArray(data) ? Buffer.concat(data) : data);
  return f;
}

const c20 = compileFile('examples/cifar_resnet20.resdsl');
if (!c20.ok) throw new Error('compile failed');
const onnx = encodeModel(c20.model).model;
const npy = writeNpy({ dims: [2, 2], data: new Float32Array(4) });
const npz = writeNpz([['y', { dims: [1], data: new Float32Array(1) }]]);
const st = writeSafetensors(new Map([['w', { shape: [2], data: new Float32Array(2) }]]));

describe('a file that is not a source', () => {
  const cases: [string, string | Uint8Array | Uint8Array[], RegExp][] = [
    ['model.onnx', onnx, /is an ONNX model, not a \.resdsl source; resdsl run reads it$/],
    ['model.bin', onnx, /is an ONNX model, not a \.resdsl source; resdsl run reads it$/],
    ['w.safetensors', st, /is a safetensors weights file, not a \.resdsl source; resdsl compile and resdsl run read it with --weights$/],
    ['w.dat', st, /is a safetensors weights file, not a \.resdsl source; /],
    ['x.npy', npy, /is a NumPy array, not a \.resdsl source; resdsl run reads it with --input$/],
    ['x.resdsl', npy, /is a NumPy array, not a \.resdsl source; /],
    ['y.npz', npz, /is a NumPy \.npz archive, not a \.resdsl source; resdsl run writes it with -o$/],
    ['blob.resdsl', Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 0, 0, 1), /is a binary file, not a \.resdsl source; resdsl reads \.resdsl text sources$/],
  ];
  for (const [name, data, message] of cases) {
    it(`${name}: check and summary say what it is and which command reads it`, async () => {
      const f = write(name, data);
      for (const argv of [['check', f], ['summary', f]]) {
        const r = await cli(...argv);
        expect(r.code).toBe(1);
        const first = r.err.split('\n')[0]!;
        expect(first).toMatch(/^error\[E0006\]: /);
        expect(first).toMatch(message);
        expect(r.err).not.toMatch(/bytes|UTF-8/);
      }
    });
  }

  it('a large ONNX file is still named for what it is, not for its size', async () => {
    const f = write('big.onnx', [onnx, new Uint8Array(2 * 2 ** 20)]);
    const r = await cli('summary', f);
    expect(r.err).toMatch(/^error\[E0006\]: .*big\.onnx is an ONNX model/);
  });
});

describe('files that are missing or cannot be written', () => {
  it('a missing file is `cannot read X: no such file` in every command', async () => {
    const nope = path.join(dir, 'nope.resdsl');
    const w = path.join(dir, 'nope.safetensors');
    const x = path.join(dir, 'nope.npy');
    const m = path.join(dir, 'nope.onnx');
    const net = write('small.resdsl', 'network t {\n  input image: f32[N, 3, 8, 8]\n  conv3(4)\n}\n');
    for (const [argv, file] of [
      [['check', nope], nope],
      [['summary', nope], nope],
      [['compile', nope, '-o', path.join(dir, 'o.onnx')], nope],
      [['compile', net, '--weights', w, '-o', path.join(dir, 'o.onnx')], w],
      [['run', nope], nope],
      [['run', m], m],
      [['run', net, '--input', x], x],
    ] as const) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err.startsWith(`error[E0501]: cannot read ${file}: no such file\n --> ${file}\n`), r.err).toBe(true);
    }
  });

  it('a write into a missing folder names the path given, never the temporary file', async () => {
    const target = path.join(dir, 'no', 'such', 'm.onnx');
    for (const extra of [[], ['--external-data']]) {
      const r = await cli('compile', 'examples/cifar_resnet20.resdsl', '-o', target, ...extra);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`resdsl: cannot write ${extra.length ? `${target}.data` : target}: no such folder\n`);
    }
    const ir = await cli('compile', 'examples/cifar_resnet20.resdsl', '--emit', 'ir', '-o', path.join(dir, 'file.txt', 'x.ir'));
    write('file.txt', 'a file');
    const again = await cli('compile', 'examples/cifar_resnet20.resdsl', '--emit', 'ir', '-o', path.join(dir, 'file.txt', 'x.ir'));
    expect(ir.err).toMatch(/cannot write .*x\.ir: no such folder\n$/);
    expect(again.err).toMatch(/cannot write .*x\.ir: a part of the path is not a folder\n$/);
    expect(`${ir.err}${again.err}`).not.toContain('.tmp');
  });

  it('a folder with no .resdsl file is an error, not "ok"', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(path.join(empty, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'sub', 'notes.txt'), 'not a spec');
    const r = await cli('check', empty);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`resdsl: no .resdsl files in ${empty}: nothing to check\n`);
    const both = await cli('check', 'examples/resnet18.resdsl', empty);
    expect(both.code).toBe(1);
  });
});

describe('--max-errors', () => {
  const many = write('many.resdsl', `network t {\n  input image: f32[N, 3, 8, 8]\n${Array.from({ length: 7 }, (_, i) => `  l${i}: conv3(4, strid${i} = 2)\n`).join('')}}\n`);

  it('caps the text with "... and N more", 50 by default, 0 for all', async () => {
    const capped = await cli('check', many, '--max-errors', '3');
    expect(capped.code).toBe(1);
    expect(capped.err.match(/^error\[/gm)).toHaveLength(3);
    expect(capped.err).toContain('... and 4 more (raise --max-errors to see them)');
    expect(capped.err).toMatch(/checked 1 file, 1 network: 7 errors\n$/);
    for (const argv of [[], ['--max-errors', '0']]) expect((await cli('check', many, ...argv)).err.match(/^error\[/gm)).toHaveLength(7);
    for (const cmd of [['summary', many], ['compile', many, '-o', path.join(dir, 'never.onnx')], ['run', many]]) {
      const r = await cli(...cmd, '--max-errors', '2');
      expect(r.err.match(/^error\[/gm)).toHaveLength(2);
      expect(r.err).toContain('... and 5 more');
    }
  });

  it('caps JSON (with the count left out) and GitHub annotations (with a notice) alike', async () => {
    const j = JSON.parse((await cli('check', many, '--format', 'json', '--max-errors', '3')).out);
    expect(j.diagnostics).toHaveLength(3);
    expect(j).toMatchObject({ errors: 7, omitted: 4 });
    const g = (await cli('check', many, '--format', 'github', '--max-errors', '3')).out.trim().split('\n');
    expect(g).toHaveLength(4);
    expect(g[3]).toBe('::notice title=resdsl::4 more not shown (raise --max-errors to see them)');
  });
});

describe('-o -', () => {
  it('prints the IR of compile --emit ir on standard output', async () => {
    const r = await cli('compile', 'examples/cifar_resnet20.resdsl', '--emit', 'ir', '-o', '-');
    expect(r.code).toBe(0);
    expect(r.out).toContain('cifar_resnet20');
    expect(fs.existsSync('-')).toBe(false);
    const onnxOut = await cli('compile', 'examples/cifar_resnet20.resdsl', '-o', '-');
    expect(onnxOut.code).toBe(2);
    expect(onnxOut.err).toBe('resdsl: -o - writes the IR to standard output with --emit ir; the model needs a file\n');
  });
});

describe('--shortcut where it changes nothing', () => {
  it('is a warning (W0601), exit 0, when every shortcut pins its policy or there is none', async () => {
    for (const argv of [
      ['check', 'examples/cifar_resnet20.resdsl', '--shortcut', 'C'],
      ['summary', 'examples/cifar_resnet20.resdsl', '--shortcut', 'C'],
      ['compile', 'examples/cifar_resnet20.resdsl', '--shortcut', 'C', '-o', path.join(dir, 'c20.onnx')],
    ]) {
      const r = await cli(...argv);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/^warning\[W0601\]: every shortcut of network cifar_resnet20 pins its policy: --shortcut C changes nothing\n {2}= help: /);
    }
    expect((await cli('check', 'examples/cifar_resnet20.resdsl', '--shortcut', 'C')).err).toMatch(/checked 1 file, 1 network: 1 warning\n$/);
    const none = write('plain.resdsl', 'network plain {\n  input image: f32[N, 3, 8, 8]\n  conv3(4); relu\n}\n');
    expect((await cli('check', none, '--shortcut', 'A')).err).toMatch(/^warning\[W0601\]: network plain has no shortcut: --shortcut A changes nothing\n/);
  });

  it('is not given without the flag, nor where a shortcut follows it', async () => {
    for (const argv of [['check', 'examples/cifar_resnet20.resdsl'], ['check', 'examples/resnet18.resdsl', '--shortcut', 'B']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      expect(r.err).not.toContain('W0601');
    }
  });
});
