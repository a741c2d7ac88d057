/**
 * Hostile files for `run`: .npy inputs with a wrong shape or dtype or a lying header (E0703,
 * E0704), and models that are truncated, not ONNX, or ONNX that declares impossible shapes or
 * does not fit together (E0801, E0704). Each is one clear error in both runtimes, never a crash,
 * a hang or an allocation of a claimed size; `-o` writes nothing on failure.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFile as compileNetwork } from '../../src/node/compile.js';
import { writeNpy } from '../../src/io/npy.js';
import type { OnnxModel } from '../../src/onnx/model.js';
import { encodeModel, encodeModelParts } from '../../src/onnx/write.js';
import { contractProblems, describeOutcome, viaBinary } from '../fuzz/harness.js';
import { cli, expectClearError, leftovers, tempDir, writeNet } from './helpers.js';

const dir = tempDir('run-files');
const net = writeNet(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An .npy file with this header dict text, padded, and `data` bytes after it (version 1.0). */
function npy(dict: string, dataBytes: number, opts: { version?: number; headerLength?: number } = {}): Uint8Array {
  const header = `${dict}${' '.repeat(Math.max(0, 63 - dict.length))}\n`;
  const out = new Uint8Array(10 + header.length + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, opts.version ?? 1, 0]);
  new DataView(out.buffer).setUint16(8, opts.headerLength ?? header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}
const dict = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

const inputs: [string, Uint8Array, RegExp][] = [
  ['a wrong shape', writeNpy({ dims: [1, 3, 8, 9], data: new Float32Array(216) }), /E0704.*the array holds \[1, 3, 8, 9\], but input img is \[N, 3, 8, 8\]\n --> .*x-(js|ort)\.npy/],
  ['a wrong rank', writeNpy({ dims: [3, 64], data: new Float32Array(192) }), /E0704/],
  ['an integer dtype', npy(dict('<i4', '(1, 3, 8, 8)'), 768), /E0703.*dtype '<i4'/],
  ['a big-endian dtype', npy(dict('>f4', '(1, 3, 8, 8)'), 768), /E0703.*dtype '>f4'/],
  ['a shape claiming 10^15 elements', npy(dict('<f4', '(999999999999999,)'), 16), /E0703.*too many elements/],
  ['a shape claiming more data than there is', npy(dict('<f4', '(1, 3, 8, 8)'), 100), /E0703.*needs 768 bytes of data but the file has 100/],
  ['a header length past the end', npy(dict('<f4', '(1, 3, 8, 8)'), 0, { headerLength: 60_000 }), /E0703.*claims 60000 bytes/],
  ['Fortran order', npy(dict('<f4', '(1, 3, 8, 8)', 'True'), 768), /E0703.*Fortran/],
  ['format version 3', npy(dict('<f4', '(1, 3, 8, 8)'), 768, { version: 3 }), /E0703.*version 3/],
  ['a header that is not a dict', npy("__import__('os').system('true')", 0), /E0703.*not a dict/],
  ['no magic string', new TextEncoder().encode('not an npy file at all'), /E0703.*magic/],
  ['an empty file', new Uint8Array(0), /E0703/],
];

describe('run --input with a hostile .npy file', () => {
  for (const [what, bytes, reason] of inputs) {
    for (const runtime of ['js', 'ort']) {
      it(`${what} (${runtime}): one clear error, no output written`, async () => {
        const x = path.join(dir, `x-${runtime}.npy`);
        const y = path.join(dir, `y-${runtime}.npy`);
        fs.writeFileSync(x, bytes);
        const o = await cli(['run', net, '--input', x, '--runtime', runtime, '-o', y]);
        expectClearError(o, /^error\[E070[34]\]: /);
        expect(o.err).toMatch(reason);
        expect(fs.existsSync(y)).toBe(false);
        fs.rmSync(x);
      });
    }
  }

  it('a folder, a missing file and a device are E0501, as every command says it', async () => {
    for (const [x, reason] of [
      [dir, /is a folder/],
      [path.join(dir, 'nope.npy'), /no such file/],
      ...(fs.existsSync('/dev/zero') ? [['/dev/zero', /not a regular file/] as const] : []),
    ] as const) {
      const o = await cli(['run', net, '--input', x]);
      expectClearError(o, /^error\[E0501\]: /);
      expect(o.err).toMatch(reason);
    }
  });
});

function baseModel(): OnnxModel {
  const r = compileNetwork(net);
  if (!r.ok) throw new Error('the small network does not compile');
  return r.model;
}

/** Models that decode but lie: impossible input shapes, parts that do not fit, no outputs. */
const lying: [string, (m: OnnxModel) => void, RegExp][] = [
  ['an input of 3 x 10^10 elements', (m) => void (m.inputs[0]!.shape = [1, 3, 100_000, 100_000]), /E0704.*too large/],
  ['an input with a negative dimension', (m) => void (m.inputs[0]!.shape = [1, 3, -8, 8]), /E0704.*not a valid tensor shape/],
  ['an input whose channels do not fit the weights', (m) => void (m.inputs[0]!.shape = [1, 4, 8, 8]), /E0704|onnxruntime failed/],
  ['a rank-0 input to a conv', (m) => void (m.inputs[0]!.shape = []), /E0704|onnxruntime cannot load/],
  ['no outputs', (m) => void (m.outputs = []), /E0801.*no outputs/],
  ['an output nothing computes', (m) => void (m.outputs[0]!.name = 'nothing'), /E0801|onnxruntime cannot load/],
  ['an unknown operator', (m) => void (m.nodes[0]!.opType = 'Frobnicate'), /E0802|onnxruntime cannot load/],
  ['nodes out of order', (m) => void m.nodes.reverse(), /E0801|onnxruntime/],
];

describe('run on a hostile model file', () => {
  const good = encodeModel(baseModel()).model;
  const files: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /E0801.*empty/],
    ['text, not ONNX', new TextEncoder().encode('hello, this is not a model'), /E0801/],
    ['a truncated model', good.subarray(0, Math.floor(good.length / 2)), /E0801/],
    ['random bytes', Uint8Array.from({ length: 2048 }, (_, i) => (i * 131 + 7) % 256), /E0801/],
    ...lying.map(([what, edit, reason]): [string, Uint8Array, RegExp] => {
      const m = baseModel();
      edit(m);
      return [what, encodeModel(m).model, reason];
    }),
  ];
  for (const [what, bytes, reason] of files) {
    for (const runtime of ['js', 'ort']) {
      it(`${what} (${runtime}): one clear error, no output written`, async () => {
        const f = path.join(dir, `m-${runtime}.onnx`);
        const y = path.join(dir, `my-${runtime}.npy`);
        fs.writeFileSync(f, bytes);
        const o = await cli(['run', f, '--runtime', runtime, '-o', y]);
        fs.rmSync(f);
        // the one case onnxruntime runs anyway: nodes out of order are sorted when it loads
        if (runtime === 'ort' && what === 'nodes out of order' && o.code === 0) return fs.rmSync(y);
        expectClearError(o, /^error\[E0(70[34]|80[1-4])\]: /);
        expect(o.err.split('\n')[0]).toMatch(reason);
        expect(o.err.trim().split('\n')).toEqual([expect.anything(), ` --> ${f}`]);
        expect(fs.existsSync(y)).toBe(false);
      });
    }
  }

  it('leaves no temporary files', () => {
    expect(leftovers(dir, ['small.resdsl', 'pipe-model'])).toEqual([]);
  });
});

describe('run on a model whose external data is not a regular file', () => {
  // Was a hang: openSync on a named pipe waits for a writer forever. readExternal now stats the
  // file first (regular files only), so it is E0801.
  const hasMkfifo = spawnSync('mkfifo', ['--help']).status === 0;
  (hasMkfifo ? it : it.skip)('a named pipe as the data file: one clear error, not a hang', () => {
    const sub = path.join(dir, 'pipe-model');
    fs.mkdirSync(sub);
    const c = compileNetwork(net);
    if (!c.ok) throw new Error('the small network does not compile');
    const parts = encodeModelParts(c.model, { externalData: { location: 'w.data', sizeThreshold: 0 } }); // every tensor external
    fs.writeFileSync(path.join(sub, 'm.onnx'), Buffer.concat(parts.modelChunks));
    expect(spawnSync('mkfifo', [path.join(sub, 'w.data')]).status).toBe(0);
    const o = viaBinary(['run', path.join(sub, 'm.onnx')], 5_000);
    fs.rmSync(sub, { recursive: true });
    expect(contractProblems(o, 5_000), describeOutcome(o)).toEqual([]);
    expect(o.err).toMatch(/^error\[E0801\]: /);
  });
});
