import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXTERNAL_ALIGNMENT, encodeModel, encodeModelParts } from '../../src/onnx/write.js';
import { writeFilesAtomic } from '../../src/node/atomic-write.js';
import { decodeModel, onnx } from './decode.js';
import { convBnReluAdd, stem } from './models.js';
import { expectClose, runOrt } from './ort.js';

const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;

const dir = mkdtempSync(join(tmpdir(), 'resdsl-external-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each initializer's external entries as {location, offset, length}, or undefined if inline. */
function layout(model: Uint8Array) {
  return decodeModel(model).graph.initializer.map((t) => {
    if (t.dataLocation !== EXTERNAL) return { name: t.name, inline: t.rawData.length };
    const e = Object.fromEntries(t.externalData.map((kv) => [kv.key, kv.value]));
    expect(t.rawData.length).toBe(0);
    return { name: t.name, location: e['location'], offset: Number(e['offset']), length: Number(e['length']) };
  });
}

async function writeAndRun(name: string, enc: ReturnType<typeof encodeModel>, c: ReturnType<typeof convBnReluAdd>) {
  const path = join(dir, name);
  await writeFilesAtomic([
    { path: join(dir, enc.externalLocation!), data: enc.externalData! },
    { path, data: enc.model },
  ]);
  expectClose(await runOrt(path, c.input), c.expected);
  return path;
}

describe('external data', () => {
  it('moves tensors of 1024 bytes or more to the data file and loads in onnxruntime from the path', async () => {
    const c = convBnReluAdd(17, 8);
    const enc = encodeModel(c.model, { externalData: { location: 'a.onnx.data' } });
    expect(enc.externalLocation).toBe('a.onnx.data');
    expect(layout(enc.model)).toEqual([
      { name: 'conv.weight', location: 'a.onnx.data', offset: 0, length: 2304 },
      { name: 'conv.bias', inline: 32 },
      { name: 'bn.weight', inline: 32 },
      { name: 'bn.bias', inline: 32 },
      { name: 'bn.running_mean', inline: 32 },
      { name: 'bn.running_var', inline: 32 },
    ]);
    const w = c.model.initializers[0]!.data as Float32Array;
    expect(new Float32Array(enc.externalData!.slice().buffer)).toEqual(w);
    await writeAndRun('a.onnx', enc, c);
    expect(readFileSync(join(dir, 'a.onnx.data')).length).toBe(2304);
  });

  it('aligns every tensor to 4096 bytes when all go external, and still runs', async () => {
    const c = convBnReluAdd(17, 8);
    const enc = encodeModel(c.model, { externalData: { location: 'b.data', sizeThreshold: 0 } });
    const entries = layout(enc.model);
    expect(entries.map((e) => e.offset)).toEqual([0, 4096, 8192, 12288, 16384, 20480]);
    expect(entries.map((e) => e.length)).toEqual([2304, 32, 32, 32, 32, 32]);
    expect(entries.every((e) => e.offset! % EXTERNAL_ALIGNMENT === 0)).toBe(true);
    expect(enc.externalData!.length).toBe(20480 + 32);
    expect(enc.externalData!.subarray(2304, 4096).every((b) => b === 0)).toBe(true);
    await writeAndRun('b.onnx', enc, c);
  });

  it('goes external automatically when the initializers are over the inline limit', async () => {
    const c = convBnReluAdd(17, 8);
    const enc = encodeModel(c.model, { maxInlineBytes: 2000, autoExternalLocation: 'auto.onnx.data' });
    expect(enc.externalLocation).toBe('auto.onnx.data');
    expect(layout(enc.model)[0]).toEqual({ name: 'conv.weight', location: 'auto.onnx.data', offset: 0, length: 2304 });
    await writeAndRun('auto.onnx', enc, c);
    expect(encodeModel(c.model, { maxInlineBytes: 3000 }).externalData).toBeUndefined();
  });

  it('moves even small tensors out when they alone are over the inline limit', () => {
    const enc = encodeModel(convBnReluAdd(17, 4).model, { maxInlineBytes: 100 });
    expect(enc.externalLocation).toBe('model.onnx.data');
    expect(layout(enc.model).every((e) => e.location === 'model.onnx.data')).toBe(true);
  });

  it('gives the same bytes as chunks (encodeModelParts) as concatenated, deterministically', () => {
    const m = stem().model;
    const opts = { externalData: { location: 's.data', sizeThreshold: 0 } };
    const parts = encodeModelParts(m, opts);
    const whole = encodeModel(m, opts);
    expect(Buffer.concat(parts.external!.chunks)).toEqual(Buffer.from(whole.externalData!));
    expect(parts.external!.byteLength).toBe(whole.externalData!.length);
    expect(Buffer.concat(parts.modelChunks).equals(Buffer.from(whole.model))).toBe(true);
    expect(Buffer.from(encodeModel(m, opts).externalData!).equals(Buffer.from(whole.externalData!))).toBe(true);
  });

  it('refuses a location outside the model directory', () => {
    const m = stem().model;
    for (const location of ['../w.data', '/tmp/w.data', 'a/../../w.data', '', 'C:\\w.data']) {
      expect(() => encodeModel(m, { externalData: { location } })).toThrow(/not a relative path/);
    }
    expect(() => encodeModel(m, { externalData: { location: 'weights/w.data' } })).not.toThrow();
  });
});
