/**
 * Hostile safetensors files given to `compile --weights` and `run --weights`: each is one clear
 * error (E0701 for a malformed file, E0702 for weights that do not fit the network), never a crash,
 * a hang or an allocation of what the header claims; compile writes nothing, and an existing output
 * file is left as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, expectClearError, leftovers, rawSafetensors, safetensors, stateDict, tempDir, writeNet } from './helpers.js';

const dir = tempDir('weights');
const net = writeNet(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const f32 = (n: number) => ({ dtype: 'F32', shape: [n], data_offsets: [0, 4 * n] });
const good = safetensors();
const withShape = (name: string, shape: number[]) => {
  const t = stateDict();
  t.set(name, { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
  return safetensors(t);
};
const without = (name: string) => {
  const t = stateDict();
  t.delete(name);
  return safetensors(t);
};

function notUtf8(): Uint8Array {
  const b = rawSafetensors('{"ab": 1}', 0);
  b[10] = 0xff; // inside the name
  return b;
}

const malformed: [string, Uint8Array, RegExp][] = [
  ['an empty file', new Uint8Array(0), /too few to hold the header length/],
  ['a header length of 2^60', rawSafetensors({}, 16, 2n ** 60n), /header length \d+ is over the limit/],
  ['a header length of 2^64 - 1', rawSafetensors({}, 16, 2n ** 64n - 1n), /header length \d+ is over the limit/],
  ['a header length past the end of the file', rawSafetensors({}, 0, 4096n), /runs past the end of the file/],
  ['offsets past the end of the data', rawSafetensors({ 'conv1.weight': { dtype: 'F32', shape: [4, 3, 3, 3], data_offsets: [0, 432] } }, 16), /past the data section/],
  ['overlapping tensors', rawSafetensors({ a: f32(2), b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12), /overlap/],
  ['offsets that end before they begin', rawSafetensors({ a: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, 8), /end before they begin/],
  ['a shape of 2^40 x 2^40 elements', rawSafetensors({ a: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }, 8), /larger than the data section/],
  ['a shape that does not match its offsets', rawSafetensors({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 8] } }, 8), /needs 4 bytes/],
  ['an integer dtype', rawSafetensors({ 'conv1.weight': { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8), /dtype I64/],
  ['an unknown dtype', rawSafetensors({ a: { dtype: 'Q7', shape: [1], data_offsets: [0, 8] } }, 8), /unknown dtype/],
  ['a header that is not JSON', rawSafetensors('{"a": ', 0), /not valid JSON/],
  ['a header that is not UTF-8', notUtf8(), /not valid UTF-8/],
  ['a header that is a JSON array', rawSafetensors([1, 2, 3], 0), /JSON object/],
  ['a truncated file', good.subarray(0, good.length - 5), /past the data section/],
  ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256), /header length|header/],
];

const mismatched: [string, Uint8Array, RegExp][] = [
  ['a weight of the wrong shape', withShape('conv1.weight', [4, 3, 3, 2]), /shapes differ \(1\): conv1\.weight: the file has \[4, 3, 3, 2\], the network needs \[4, 3, 3, 3\]/],
  ['a missing weight', without('fc.weight'), /missing from the file \(1\): fc\.weight/],
  ['a weight the network does not have', withShape('extra.weight', [2]), /in the file but not in the network \(1\): extra\.weight/],
];

describe('compile --weights with a hostile safetensors file', () => {
  for (const [what, bytes, reason] of [...malformed, ...mismatched]) {
    it(`${what}: one clear error, nothing written, an existing output untouched`, async () => {
      const w = path.join(dir, 'w.safetensors');
      fs.writeFileSync(w, bytes);
      const out = path.join(dir, 'kept.onnx');
      fs.writeFileSync(out, 'the previous model');
      const o = await cli(['compile', net, '--weights', w, '-o', out]);
      expectClearError(o, /^error\[E070[12]\]: /);
      expect(o.err).toMatch(reason);
      expect(fs.readFileSync(out, 'utf8')).toBe('the previous model');
      expect(leftovers(dir, ['small.resdsl', 'w.safetensors', 'kept.onnx'])).toEqual([]);
    });
  }

  it('a folder, a missing file and a device are E0501, as every command says it', async () => {
    const out = path.join(dir, 'none.onnx');
    for (const [w, reason] of [
      [dir, /is a folder/],
      [path.join(dir, 'nope.safetensors'), /no such file/],
      ...(fs.existsSync('/dev/zero') ? [['/dev/zero', /not a regular file/] as const] : []),
    ] as const) {
      const o = await cli(['compile', net, '--weights', w, '-o', out]);
      expectClearError(o, /^error\[E0501\]: /);
      expect(o.err).toMatch(reason);
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  it('a good file compiles (the cases above fail for their own reason)', async () => {
    const w = path.join(dir, 'good.safetensors');
    fs.writeFileSync(w, good);
    const out = path.join(dir, 'good.onnx');
    const o = await cli(['compile', net, '--weights', w, '-o', out]);
    expect(o.code, o.err).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
    fs.rmSync(out);
    fs.rmSync(w);
  });
});

describe('run --weights with a hostile safetensors file', () => {
  for (const [what, bytes, reason] of [...malformed.slice(0, 6), ...mismatched]) {
    for (const runtime of ['js', 'ort']) {
      it(`${what} (${runtime}): one clear error`, async () => {
        const w = path.join(dir, `r-${runtime}.safetensors`);
        fs.writeFileSync(w, bytes);
        const o = await cli(['run', net, '--weights', w, '--runtime', runtime]);
        fs.rmSync(w);
        expectClearError(o, /^error\[E070[12]\]: /);
        expect(o.err).toMatch(reason);
        expect(o.out).toBe('');
      });
    }
  }
});
