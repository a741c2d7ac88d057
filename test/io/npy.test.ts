import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../src/io/npy.js';

/** An npy file with the given header dict text and data bytes (version 1.0 unless told). */
function npy(header: string, data: Uint8Array, version = 1): Uint8Array {
  const text = new TextEncoder().encode(header + '\n');
  const prefix = version === 1 ? 10 : 12;
  const out = new Uint8Array(prefix + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, prefix);
  out.set(data, prefix + text.length);
  return out;
}

const f4 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

function message(bytes: Uint8Array): string {
  const r = readNpy(bytes);
  if (r.ok) return 'ok';
  expect(r.error.code).toBe('E0703');
  return r.error.message;
}

describe('npy', () => {
  it('round-trips float32 arrays of any rank', () => {
    for (const dims of [[2, 3, 4], [5], [], [0, 3], [1, 1, 1, 7]]) {
      const n = dims.reduce((a, b) => a * b, 1);
      const t = { dims, data: Float32Array.from({ length: n }, (_, i) => i * 0.5 - 3) };
      const bytes = writeNpy(t);
      expect((bytes.length - t.data.length * 4) % 64).toBe(0);
      expect(readNpy(bytes)).toEqual({ ok: true, value: t });
    }
  });

  it('reads version 2.0 headers and narrows float64', () => {
    expect(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f4([1, 2]), 2))).toEqual({ ok: true, value: { dims: [2], data: Float32Array.of(1, 2) } });
    const f8 = new Uint8Array(Float64Array.of(0.1, -4).buffer);
    expect(readNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2)}", f8))).toEqual({ ok: true, value: { dims: [1, 2], data: Float32Array.of(0.1, -4) } });
  });

  it('rejects hostile and unsupported files with clear messages', () => {
    const ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
    expect(message(new TextEncoder().encode('PK\x03\x04 not npy at all'))).toBe('not an npy file: the magic string is missing');
    expect(message(npy(ok.replace('<f4', '<i4'), f4([1, 2])))).toBe("npy dtype '<i4' is not supported; use little-endian float32 ('<f4')");
    expect(message(npy(ok.replace('<f4', '>f4'), f4([1, 2])))).toBe("npy dtype '>f4' is not supported; use little-endian float32 ('<f4')");
    expect(message(npy(ok.replace('False', 'True'), f4([1, 2])))).toBe('Fortran-order npy arrays are not supported; save with C order');
    expect(message(npy(ok, f4([1])))).toBe('the npy shape (2) needs 8 bytes of data but the file has 4');
    expect(message(npy(ok.replace('(2,)', '(100000, 100000, 100000)'), f4([1, 2]))))
      .toBe('the npy shape (100000, 100000, 100000) has too many elements');
    expect(message(npy(ok.replace('(2,)', '(65536, 8192)'), f4([1, 2])))).toBe('the npy shape (65536, 8192) needs 2147483648 bytes of data but the file has 8');
    expect(message(npy(ok.replace('(2,)', '(-2,)'), f4([1, 2])))).toBe('malformed npy header: shape must be a tuple of non-negative integers');
    expect(message(npy("{'descr': '<f4', 'shape': (2,)}", f4([1, 2])))).toBe('malformed npy header: the header must have exactly descr, fortran_order and shape');
    expect(message(npy("__import__('os').system('x')", f4([1, 2])))).toBe('malformed npy header: the header is not a dict');
    expect(message(npy(ok, f4([1, 2]), 3))).toBe('npy format version 3.0 is not supported (1.0 and 2.0 are)');
    const lying = npy(ok, f4([1, 2]));
    new DataView(lying.buffer).setUint16(8, 60000, true);
    expect(message(lying)).toBe('the npy header claims 60000 bytes but the file ends first');
  });

  it('never throws on arbitrary bytes', () => {
    const header = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f4([1, 2]));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(header.length), (tail, cut) => {
      const bytes = new Uint8Array([...header.subarray(0, cut), ...tail]);
      const r = readNpy(bytes);
      return r.ok || r.error.code === 'E0703';
    }), { numRuns: 500 });
  });
});
