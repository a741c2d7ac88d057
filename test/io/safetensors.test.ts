import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/io/safetensors.js';

/** A file from a header (object, raw JSON text or bytes) and a data section; `declared` overrides N. */
function craft(header: unknown, data: Uint8Array | number = 0, declared?: bigint): Uint8Array {
  const json =
    header instanceof Uint8Array ? header : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

const f32 = (shape: number[], begin: number) => ({ dtype: 'F32', shape, data_offsets: [begin, begin + 4 * shape.reduce((p, d) => p * d, 1)] });

function readError(bytes: Uint8Array): string {
  const r = readSafetensors(bytes, 'w.safetensors');
  if (r.ok) throw new Error('expected an error');
  expect(r.error.code).toBe('E0701');
  expect(r.error.file).toBe('w.safetensors');
  expect(r.error.message).toMatch(/^[a-z].*[^.]$/); // one lowercase sentence without a final period
  return r.error.message;
}

describe('writeSafetensors and readSafetensors', () => {
  it('round-trip tensors of every rank, including scalars and empty tensors', () => {
    const tensors = new Map([
      ['b', { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, -0, Infinity]) }],
      ['a', { shape: [], data: Float32Array.from([42]) }],
      ['empty', { shape: [0, 4], data: new Float32Array(0) }],
      ['__proto__', { shape: [1, 1, 1, 2], data: Float32Array.from([NaN, 7]) }],
    ]);
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    const r = readSafetensors(bytes, 'x');
    if (!r.ok) throw new Error(r.error.message);
    expect([...r.value.keys()].sort()).toEqual(['__proto__', 'a', 'b', 'empty']);
    for (const [name, t] of tensors) {
      expect(r.value.get(name)).toEqual({ dtype: 'F32', shape: t.shape, data: t.data });
    }
  });

  it('write the layout of the Python library: names sorted, data in that order, header padded to 8 bytes', () => {
    const bytes = writeSafetensors([
      ['z', { shape: [1], data: Float32Array.from([1]) }],
      ['m', { shape: [2], data: Float32Array.from([2, 3]) }],
      ['10', { shape: [0], data: new Float32Array(0) }],
    ]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd()).toBe(
      '{"10":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"m":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}',
    );
    expect(Array.from(new Float32Array(bytes.slice(8 + n).buffer))).toEqual([2, 3, 1]);
  });

  it('throws when asked to write data that does not match its shape (a caller bug)', () => {
    expect(() => writeSafetensors([['w', { shape: [2, 2], data: new Float32Array(3) }]])).toThrow(/3 values for shape \[2, 2\]/);
  });

  it('convert F16, BF16 and F64 tensors to float32', () => {
    const data = new Uint8Array(2 * 4 + 2 * 4 + 8 * 2);
    const v = new DataView(data.buffer);
    [0x3c00, 0xc000, 0x0001, 0x7c00].forEach((h, i) => v.setUint16(2 * i, h, true)); // 1, -2, 2^-24, inf
    [0x3f80, 0xbfc0, 0x4049, 0x0000].forEach((h, i) => v.setUint16(8 + 2 * i, h, true)); // 1, -1.5, 3.140625, 0
    [0.1, -1e300].forEach((x, i) => v.setFloat64(16 + 8 * i, x, true));
    const header = {
      __metadata__: { note: 'ignored' },
      h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
      b: { dtype: 'BF16', shape: [2, 2], data_offsets: [8, 16] },
      d: { dtype: 'F64', shape: [2], data_offsets: [16, 32] },
    };
    const r = readSafetensors(craft(header, data), 'x');
    if (!r.ok) throw new Error(r.error.message);
    expect(Array.from(r.value.get('h')!.data)).toEqual([1, -2, 2 ** -24, Infinity]);
    expect(Array.from(r.value.get('b')!.data)).toEqual([1, -1.5, 3.140625, 0]);
    expect(Array.from(r.value.get('d')!.data)).toEqual([Math.fround(0.1), -Infinity]);
    expect(r.value.get('b')!).toMatchObject({ dtype: 'BF16', shape: [2, 2] });
  });

  it('skip tensors on request (such as int64 num_batches_tracked), checking their layout still', () => {
    const header = { 'bn.weight': f32([2], 0), 'bn.num_batches_tracked': { dtype: 'I64', shape: [], data_offsets: [8, 16] } };
    const bytes = craft(header, 16);
    expect(readError(bytes)).toBe('tensor `bn.num_batches_tracked` has dtype I64; only F32, F16, BF16 and F64 are supported');
    const r = readSafetensors(bytes, 'x', { skip: (n) => n.endsWith('num_batches_tracked') });
    expect(r.ok && [...r.value.keys()]).toEqual(['bn.weight']);
    const bad = craft({ ...header, 'bn.num_batches_tracked': { dtype: 'I64', shape: [], data_offsets: [8, 20] } }, 20);
    expect(readSafetensors(bad, 'x', { skip: () => true }).ok).toBe(false);
  });
});

describe('readSafetensors on hostile files', () => {
  const one = { w: f32([2, 2], 0) };
  const hostile: [string, Uint8Array, RegExp][] = [
    ['empty file', new Uint8Array(0), /file has 0 bytes, too few to hold the header length/],
    ['header length that lies', craft(one, 16, 1000n), /header length 1000 runs past the end of the file, which has \d+ bytes/],
    ['header length over 100 MB', craft(one, 16, 200_000_000n), /header length 200000000 is over the limit of 100000000 bytes/],
    ['header length of 2^64 - 1', craft(one, 16, 2n ** 64n - 1n), /header length \d+ is over the limit/],
    ['header that is not UTF-8', craft(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 0), /^header is not valid UTF-8$/],
    ['header that is not JSON', craft('{"w": {"dtype": "F32",', 16), /header is not valid JSON/],
    ['header that is a JSON array', craft([1, 2], 0), /header does not start with a JSON object/],
    ['header that is JSON null', craft('null', 0), /header does not start with a JSON object/],
    ['entry that is not an object', craft({ w: [1] }, 0), /entry of tensor `w` is not an object/],
    ['dtype of the wrong type', craft({ w: { ...f32([1], 0), dtype: 4 } }, 4), /tensor `w` has no dtype string/],
    ['unknown dtype', craft({ w: { ...f32([1], 0), dtype: 'Q7' } }, 4), /tensor `w` has unknown dtype "Q7"/],
    ['unsupported dtype', craft({ w: { ...f32([1], 0), dtype: 'I32' } }, 4), /tensor `w` has dtype I32; only F32, F16, BF16 and F64 are supported/],
    ['shape that is a string', craft({ w: { ...f32([1], 0), shape: '1' } }, 4), /tensor `w` has a shape that is not a list of non-negative integers/],
    ['negative dimension', craft({ w: { ...f32([1], 0), shape: [-1] } }, 4), /shape that is not a list of non-negative integers/],
    ['fractional dimension', craft({ w: { ...f32([1], 0), shape: [1.5] } }, 4), /shape that is not a list of non-negative integers/],
    ['offsets that are not a pair', craft({ w: { ...f32([1], 0), data_offsets: [0, 4, 8] } }, 8), /data_offsets that are not two non-negative integers/],
    ['offsets as strings', craft({ w: { ...f32([1], 0), data_offsets: ['0', '4'] } }, 4), /data_offsets that are not two non-negative integers/],
    ['offsets that end before they begin', craft({ w: { ...f32([0], 0), data_offsets: [4, 0] } }, 4), /data_offsets \[4, 0\] that end before they begin/],
    ['offsets past the end', craft({ w: f32([2, 2], 0) }, 12), /tensor `w` ends at offset 16, past the data section of 12 bytes/],
    ['truncated file', craft(one, 16).subarray(0, 8 + JSON.stringify(one).length + 10), /ends at offset 16, past the data section of 10 bytes/],
    ['truncated header', craft(one, 16).subarray(0, 20), /header length \d+ runs past the end/],
    ['huge shape', craft({ w: { ...f32([1], 0), shape: [1e9, 1e9, 1e9, 1e9] } }, 4), /tensor `w` has shape \[1000000000, .*\], larger than the data section/],
    ['shape that disagrees with the offsets', craft({ w: { ...f32([2], 0), shape: [1] } }, 8), /shape \[1\] of F32, which needs 4 bytes, but its data_offsets span 8/],
    ['overlapping ranges', craft({ a: f32([2], 0), b: f32([2], 4) }, 12), /tensors `a` and `b` overlap in the data section/],
    ['the same range twice', craft({ a: f32([2], 0), b: f32([2], 0) }, 8), /tensors `a` and `b` overlap/],
    ['a gap between tensors', craft({ a: f32([1], 0), b: f32([1], 8) }, 12), /data section has 4 unused bytes before tensor `b`/],
    ['bytes after the last tensor', craft(one, 20), /data section has 4 bytes after the last tensor/],
  ];
  for (const [what, bytes, message] of hostile) {
    it(`reports ${what}`, () => expect(readError(bytes)).toMatch(message));
  }

  it('never throws, whatever bytes of a valid file are changed', () => {
    const valid = writeSafetensors([['a', { shape: [2, 3], data: new Float32Array(6) }], ['b', { shape: [4], data: new Float32Array(4) }]]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(valid.length), (edits, cut) => {
        const bytes = valid.slice(0, cut === 0 ? valid.length : cut);
        for (const [i, b] of edits) if (i < bytes.length) bytes[i] = b;
        const r = readSafetensors(bytes, 'fuzz');
        expect(r.ok || r.error.code === 'E0701').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary JSON headers', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.nat(64), (header, size) => {
        const r = readSafetensors(craft(header, size), 'fuzz');
        expect(r.ok || r.error.code === 'E0701').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
