import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFilesAtomic } from '../../src/node/atomic-write.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'resdsl-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (p: string): string => readFileSync(p, 'utf8');
/** A chunk that makes the write fail after the temporary file was created and partly written. */
const poison = null as unknown as Uint8Array;

describe('writeFileAtomic', () => {
  it('creates a file, and writes chunks in order', async () => {
    const p = join(dir, 'm.onnx');
    await writeFileAtomic(p, [bytes('ab'), bytes(''), bytes('cd')]);
    expect(text(p)).toBe('abcd');
    expect(readdirSync(dir)).toEqual(['m.onnx']);
  });

  it('replaces an existing file and keeps its permissions', async () => {
    const p = join(dir, 'm.onnx');
    writeFileSync(p, 'old');
    chmodSync(p, 0o640);
    await writeFileAtomic(p, bytes('new'));
    expect(text(p)).toBe('new');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['m.onnx']);
  });

  it('leaves an existing file untouched and no temporary file when writing fails', async () => {
    const p = join(dir, 'm.onnx');
    writeFileSync(p, 'old');
    await expect(writeFileAtomic(p, [bytes('partial'), poison])).rejects.toThrow();
    expect(text(p)).toBe('old');
    expect(readdirSync(dir)).toEqual(['m.onnx']);
  });

  it('writes chunks made one at a time into a reused buffer (each is copied before the next is made), over several pieces', async () => {
    const p = join(dir, 'm.bin');
    const reused = new Uint8Array(300_000);
    function* made(): Generator<Uint8Array> {
      for (let i = 0; i < 12; i++) {
        reused.fill(i);
        yield reused;
      }
    }
    await writeFileAtomic(p, made());
    const got = readFileSync(p);
    expect(got.length).toBe(12 * 300_000);
    for (let i = 0; i < 12; i++) expect(got.subarray(i * 300_000, (i + 1) * 300_000).every((b) => b === i)).toBe(true);
  });

  it('passes on an error made by the maker of the chunks as it is (not as a failure to write), leaving no file', async () => {
    const p = join(dir, 'm.onnx');
    writeFileSync(p, 'old');
    function* failing(): Generator<Uint8Array> {
      yield new Uint8Array(3 << 20);
      throw new RangeError('a tensor could not be made');
    }
    const e = await writeFileAtomic(p, failing()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RangeError);
    expect(text(p)).toBe('old');
    expect(readdirSync(dir)).toEqual(['m.onnx']);
  });

  it('leaves no temporary file when the rename fails', async () => {
    const p = join(dir, 'taken');
    mkdirSync(p);
    writeFileSync(join(p, 'inside'), 'x');
    await expect(writeFileAtomic(p, bytes('new'))).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(text(join(p, 'inside'))).toBe('x');
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'no', 'm.onnx'), bytes('x'))).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeFilesAtomic', () => {
  it('writes every file', async () => {
    const data = join(dir, 'm.onnx.data');
    const model = join(dir, 'm.onnx');
    await writeFilesAtomic([{ path: data, data: bytes('weights') }, { path: model, data: bytes('graph') }]);
    expect([text(data), text(model)]).toEqual(['weights', 'graph']);
    expect(readdirSync(dir).sort()).toEqual(['m.onnx', 'm.onnx.data']);
  });

  it('changes no file when one of them cannot be written', async () => {
    const data = join(dir, 'm.onnx.data');
    const model = join(dir, 'm.onnx');
    writeFileSync(data, 'old weights');
    writeFileSync(model, 'old graph');
    await expect(
      writeFilesAtomic([{ path: data, data: bytes('new weights') }, { path: model, data: [bytes('new'), poison] }]),
    ).rejects.toThrow();
    expect([text(data), text(model)]).toEqual(['old weights', 'old graph']);
    expect(readdirSync(dir).sort()).toEqual(['m.onnx', 'm.onnx.data']);
  });
});
