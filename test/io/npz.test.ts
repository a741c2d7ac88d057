/**
 * The .npz writer: CRC-32 against its check value, the zip structure (local headers, central
 * directory, end record, stored members that are our .npy files), and numpy.load reading every
 * array back with Python's zipfile finding every CRC right. The numpy test skips, saying why,
 * where /usr/bin/python3 has no numpy, except in CI (CI=true), where it fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy } from '../../src/io/npy.js';
import { crc32, npzFits, writeNpz } from '../../src/io/npz.js';
import type { Tensor } from '../../src/io/tensor.js';

const concat = (chunks: Uint8Array[]) => {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
};

const tensor = (dims: number[], f: (i: number) => number): Tensor => {
  const n = dims.reduce((a, b) => a * b, 1);
  return { dims, data: Float32Array.from({ length: n }, (_, i) => f(i)) };
};

/** Names a user's ONNX file may give its outputs: prototype members, non-ASCII, dots. */
const arrays: [string, Tensor][] = [
  ['logits', tensor([2, 5], (i) => i - 4.5)],
  ['feats', tensor([1, 3, 2, 2], (i) => Math.fround(Math.sin(i)))],
  ['constructor', tensor([3], (i) => i)],
  ['__proto__', tensor([1], () => -0.25)],
  ['café.out', tensor([], () => 7)],
];

describe('crc32', () => {
  it('has the check value of CRC-32/ISO-HDLC', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('writeNpz', () => {
  const bytes = concat(writeNpz(arrays));
  const view = new DataView(bytes.buffer);

  it('is a zip of stored .npy members, with a central directory that points at them', () => {
    const end = bytes.length - 22;
    expect(view.getUint32(end, true)).toBe(0x06054b50);
    expect(view.getUint16(end + 10, true)).toBe(arrays.length);
    let entry = view.getUint32(end + 16, true);
    expect(entry + view.getUint32(end + 12, true)).toBe(end);
    const dec = new TextDecoder();
    for (const [name, t] of arrays) {
      expect(view.getUint32(entry, true)).toBe(0x02014b50);
      expect(view.getUint16(entry + 10, true)).toBe(0); // stored
      const nameLength = view.getUint16(entry + 28, true);
      expect(dec.decode(bytes.subarray(entry + 46, entry + 46 + nameLength))).toBe(`${name}.npy`);
      const local = view.getUint32(entry + 42, true);
      expect(view.getUint32(local, true)).toBe(0x04034b50);
      const size = view.getUint32(local + 18, true);
      const data = bytes.subarray(local + 30 + view.getUint16(local + 26, true), local + 30 + view.getUint16(local + 26, true) + size);
      expect(crc32(data)).toBe(view.getUint32(entry + 16, true));
      const back = readNpy(data);
      if (!back.ok) throw new Error(back.error.message);
      expect(back.value).toEqual(t);
      entry += 46 + nameLength;
    }
  });

  it('is the same bytes every time', () => {
    expect(concat(writeNpz(arrays))).toEqual(bytes);
  });

  it('refuses a name given twice', () => {
    expect(() => writeNpz([arrays[0]!, arrays[0]!])).toThrow(RangeError);
    expect(npzFits(arrays)).toBe(true);
  });

  const python = '/usr/bin/python3';
  const numpy = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
  const missing = numpy.status === 0 ? undefined : `${python} cannot import numpy (${(numpy.stderr || numpy.error?.message || '').trim().split('\n').pop()})`;
  const test = missing && process.env.CI !== 'true' ? it.skip : it;
  test(`is read by numpy.load, every CRC right${missing ? ` (skipped: ${missing})` : ''}`, () => {
    expect(missing, 'numpy is needed in CI (python3-numpy)').toBeUndefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-npz-'));
    try {
      const file = path.join(dir, 'out.npz');
      fs.writeFileSync(file, bytes);
      const script = [
        'import json, sys, zipfile, numpy',
        'assert zipfile.ZipFile(sys.argv[1]).testzip() is None',
        'with numpy.load(sys.argv[1]) as d:',
        '    print(json.dumps({k: [list(d[k].shape), str(d[k].dtype), d[k].ravel().tolist()] for k in d.files}))',
      ].join('\n');
      const r = spawnSync(python, ['-c', script, file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      // a Map: the names include __proto__
      const got = new Map(Object.entries(JSON.parse(r.stdout) as Record<string, [number[], string, number[]]>));
      expect([...got.keys()]).toEqual(arrays.map(([n]) => n));
      for (const [name, t] of arrays) expect(got.get(name)).toEqual([t.dims, 'float32', [...t.data]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
