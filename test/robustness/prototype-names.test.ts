/**
 * Names of Object.prototype members (and `__proto__`) in the files the tool reads: ONNX attribute
 * and metadata keys are read as entries of their own and written back byte for byte; value, node
 * and output names run in both runtimes and are written to .npz; safetensors tensor names and
 * dtypes are reported like any other name. Never an internal error, never a name lost.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/node/compile.js';
import { decodeModel } from '../../src/onnx/read.js';
import type { OnnxModel } from '../../src/onnx/model.js';
import { encodeModel } from '../../src/onnx/write.js';
import onnxProto from 'onnx-proto';
import { readSafetensors } from '../../src/io/safetensors.js';
import { cli, expectClearError, rawSafetensors, safetensors, stateDict, tempDir, writeNet } from './helpers.js';

const { onnx } = onnxProto;

const prototypeNames = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf'];

const dir = tempDir('prototype-names');
const net = writeNet(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function small(): OnnxModel {
  const r = compileFile(net);
  if (!r.ok) throw new Error('the small network does not compile');
  return r.model;
}

/** An object with these own entries (Object.fromEntries defines `__proto__` as an entry, not the prototype). */
const own = <T>(entries: [string, T][]) => Object.fromEntries(entries) as Record<string, T>;

describe('ONNX files', () => {
  it('attributes and metadata named after prototype members are read as entries and written back byte for byte', () => {
    const m = small();
    m.metadata = own([...Object.entries(m.metadata), ...prototypeNames.map((n, i): [string, string] => [n, `value ${i}`])]);
    const relu = m.nodes.find((n) => n.opType === 'Relu')!;
    relu.attrs = own(prototypeNames.map((n, i): [string, { type: 'int'; value: number }] => [n, { type: 'int', value: i }]));
    const bytes = encodeModel(m).model;
    const back = decodeModel(bytes);
    if (!back.ok) throw new Error(back.error.message);
    const attrs = back.value.nodes.find((n) => n.name === relu.name)!.attrs;
    for (const [i, n] of prototypeNames.entries()) {
      expect(Object.hasOwn(attrs, n), n).toBe(true);
      expect(Object.getOwnPropertyDescriptor(attrs, n)!.value).toEqual({ type: 'int', value: i });
      expect(Object.getOwnPropertyDescriptor(back.value.metadata, n)!.value).toBe(`value ${i}`);
    }
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(encodeModel(back.value).model).toEqual(bytes);
  });

  it('such attributes are refused by name when run, in one clear error', async () => {
    const m = small();
    const relu = m.nodes.find((n) => n.opType === 'Relu')!;
    for (const name of prototypeNames) {
      relu.attrs = own([[name, { type: 'int', value: 1 }]]);
      const f = path.join(dir, 'attr.onnx');
      fs.writeFileSync(f, encodeModel(m).model);
      const o = await cli(['run', f]);
      expectClearError(o, new RegExp(`^error\\[E0803\\]: .*attribute ${name} is not supported`));
    }
  });

  it('a node with one attribute twice is an error, not a silent choice', () => {
    const m = small();
    m.nodes.find((n) => n.opType === 'Relu')!.attrs = own([['__proto__', { type: 'int', value: 1 }]]);
    const proto = onnx.ModelProto.decode(encodeModel(m).model);
    const node = proto.graph!.node!.find((n) => n.opType === 'Relu')!;
    node.attribute!.push(node.attribute![0]!);
    const r = decodeModel(onnx.ModelProto.encode(proto).finish());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/^node '.*' has attribute __proto__ twice$/);
  });

  it('values, nodes and outputs named after prototype members run in both runtimes and are written to .npz', async () => {
    const m = small();
    const rename = new Map<string, string>();
    const values = [m.inputs[0]!.name, ...m.nodes.map((n) => n.outputs[0]!)];
    values.forEach((v, i) => rename.set(v, prototypeNames[i % prototypeNames.length]! + (i >= prototypeNames.length ? String(i) : '')));
    const r = (v: string) => rename.get(v) ?? v;
    m.inputs[0]!.name = r(m.inputs[0]!.name);
    for (const n of m.nodes) {
      n.inputs = n.inputs.map(r);
      n.outputs = n.outputs.map(r);
      n.name = r(n.outputs[0]!);
    }
    m.outputs = m.outputs.map((o) => ({ ...o, name: r(o.name) }));
    m.valueInfo = m.valueInfo.map((v) => ({ ...v, name: r(v.name) }));
    const f = path.join(dir, 'names.onnx');
    fs.writeFileSync(f, encodeModel(m).model);
    const out = m.outputs[0]!.name;
    for (const runtime of ['js', 'ort']) {
      const y = path.join(dir, `y-${runtime}.npz`);
      const o = await cli(['run', f, '--runtime', runtime, '-o', y]);
      expect(o.code, o.err).toBe(0);
      expect(o.out).toMatch(new RegExp(`^${out}: \\[1, 5\\] min `));
      expect(fs.readFileSync(y).includes(Buffer.from(`${out}.npy`))).toBe(true);
    }
  });
});

describe('safetensors files', () => {
  it('tensors named after prototype members are unexpected names, listed', async () => {
    const t = stateDict();
    for (const n of prototypeNames) t.set(n, { shape: [1], data: new Float32Array(1) });
    const w = path.join(dir, 'extra.safetensors');
    fs.writeFileSync(w, safetensors(t));
    const read = readSafetensors(fs.readFileSync(w), w);
    expect(read.ok && [...read.value.keys()].filter((k) => prototypeNames.includes(k)).sort()).toEqual([...prototypeNames].sort());
    const o = await cli(['compile', net, '--weights', w, '-o', path.join(dir, 'never.onnx')]);
    expectClearError(o, /^error\[E0702\]: the weights in .* do not match network small/);
    for (const n of prototypeNames) expect(o.err).toContain(n);
    expect(fs.existsSync(path.join(dir, 'never.onnx'))).toBe(false);
  });

  it('a dtype named after a prototype member is an unknown dtype', async () => {
    for (const dtype of prototypeNames) {
      const w = path.join(dir, 'dtype.safetensors');
      fs.writeFileSync(w, rawSafetensors({ 'conv1.weight': { dtype, shape: [1], data_offsets: [0, 4] } }, 4));
      const o = await cli(['compile', net, '--weights', w, '-o', path.join(dir, 'never.onnx')]);
      expectClearError(o, /^error\[E0701\]: tensor `conv1\.weight` has unknown dtype /);
    }
  });

  it('a __metadata__ with prototype-member keys is read', () => {
    const bytes = safetensors(stateDict());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as object;
    const data = bytes.subarray(8 + n);
    const file = rawSafetensors({ __metadata__: Object.fromEntries(prototypeNames.map((k) => [k, 'x'])), ...header }, data.length);
    file.set(data, file.length - data.length);
    const r = readSafetensors(file, 'meta.safetensors');
    expect(r.ok && [...r.value.keys()].sort()).toEqual([...stateDict().keys()].sort());
  });
});
