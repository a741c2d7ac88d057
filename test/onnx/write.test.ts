import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../src/onnx/write.js';
import { allCases, convBnReluAdd, gemm, model, node, subsamplePad, vi } from './models.js';
import { decodeModel as decode, dimKind, onnx } from './decode.js';
import { expectClose, runOrt } from './ort.js';


describe('encodeModel in onnxruntime', () => {
  for (const c of allCases()) {
    it(`runs ${c.name} as the reference does`, async () => {
      const { model: bytes, externalData } = encodeModel(c.model);
      expect(externalData).toBeUndefined();
      expectClose(await runOrt(bytes, c.input), c.expected);
    });
  }

  for (const opset of [13, 14, 15, 16, 17, 18]) {
    it(`runs conv/bn/add and the padded shortcut at opset ${opset}`, async () => {
      for (const c of [convBnReluAdd(opset), subsamplePad(opset)]) {
        expectClose(await runOrt(encodeModel(c.model).model, c.input), c.expected);
      }
    });
  }

  it('runs a symbolic batch dimension at another batch size', async () => {
    const c = convBnReluAdd();
    const bytes = encodeModel(c.model).model;
    const one = { ...c.input, shape: [1, 4, 6, 6], data: c.input.data.slice(0, 144) };
    const y = await runOrt(bytes, one);
    expect(y.shape).toEqual([1, 4, 6, 6]);
    expect(Array.from(y.data)).toEqual(Array.from((await runOrt(bytes, c.input)).data.slice(0, 144)));
  });
});

describe('encodeModel output', () => {
  it('is the same bytes for the same model, whatever the order of attributes and metadata', () => {
    const a = convBnReluAdd().model;
    const b = convBnReluAdd().model;
    const conv = b.nodes[0]!;
    conv.attrs = Object.fromEntries(Object.entries(conv.attrs).reverse());
    b.metadata = Object.fromEntries(Object.entries(b.metadata).reverse());
    expect(Object.keys(conv.attrs)).not.toEqual(Object.keys(a.nodes[0]!.attrs));
    expect(Buffer.from(encodeModel(a).model).equals(Buffer.from(encodeModel(b).model))).toBe(true);
  });

  it('keeps its golden hash (a changed encoding must be deliberate)', () => {
    const hash = createHash('sha256').update(encodeModel(convBnReluAdd().model).model).digest('hex');
    expect(hash).toBe(GOLDEN_SHA256);
  });

  it('writes attributes sorted by name and metadata sorted by key', () => {
    const m = decode(encodeModel(convBnReluAdd().model).model);
    expect(m.graph.node[0]!.attribute.map((a) => a.name)).toEqual(['group', 'kernel_shape', 'pads', 'strides']);
    expect(m.metadataProps.map((p) => [p.key, p.value])).toEqual([['resdsl.a', 'first'], ['resdsl.z', 'last']]);
  });

  it('writes versions, names, doc strings and attribute values as given', () => {
    const m = decode(encodeModel(convBnReluAdd(15).model).model);
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 15]]);
    expect([m.producerName, m.producerVersion, m.docString, m.graph.name]).toEqual(['resdsl-test', '0.1.0', 'a test model', 'test']);
    const conv = m.graph.node[0]!;
    expect([conv.opType, conv.name, conv.docString, conv.domain]).toEqual(['Conv', 'Conv_c', 'test.resdsl:1:3', '']);
    expect(conv.attribute.find((a) => a.name === 'pads')!.ints.map(Number)).toEqual([1, 1, 1, 1]);
    const bn = m.graph.node[1]!.attribute.find((a) => a.name === 'epsilon')!;
    expect([bn.type, bn.f]).toEqual([onnx.AttributeProto.AttributeType.FLOAT, Math.fround(1e-5)]);
    const pad = decode(encodeModel(subsamplePad().model).model).graph.node[1]!.attribute[0]!;
    expect([pad.name, pad.type, new TextDecoder().decode(pad.s)]).toEqual(['mode', onnx.AttributeProto.AttributeType.STRING, 'constant']);
  });

  it('writes float32 and int64 initializers as little-endian raw_data', () => {
    const c = subsamplePad();
    const pads = decode(encodeModel(c.model).model).graph.initializer[0]!;
    expect([pads.dataType, pads.dims.map(Number), pads.int64Data.length]).toEqual([onnx.TensorProto.DataType.INT64, [8], 0]);
    const view = new DataView(pads.rawData.buffer, pads.rawData.byteOffset, pads.rawData.byteLength);
    expect(Array.from({ length: 8 }, (_, i) => view.getBigInt64(8 * i, true))).toEqual([0n, 2n, 0n, 0n, 0n, 2n, 0n, 0n]);
    const g = gemm();
    const w = decode(encodeModel(g.model).model).graph.initializer[0]!;
    expect([w.name, w.dataType, w.floatData.length, w.rawData.length]).toEqual(['fc.weight', onnx.TensorProto.DataType.FLOAT, 0, 160]);
    const wv = new DataView(w.rawData.buffer, w.rawData.byteOffset, w.rawData.byteLength);
    expect(wv.getFloat32(4 * 7, true)).toBe(g.model.initializers[0]!.data[7]);
  });

  it('writes symbolic dimensions as dim_param and fixed ones as dim_value', () => {
    const g = decode(encodeModel(convBnReluAdd().model).model).graph;
    const dims = g.input[0]!.type.tensorType.shape.dim;
    expect(dims.map(dimKind)).toEqual(['dimParam', 'dimValue', 'dimValue', 'dimValue']);
    expect([dims[0]!.dimParam, Number(dims[1]!.dimValue)]).toEqual(['N', 4]);
    expect(g.valueInfo.map((v) => v.name)).toEqual(['c', 'b', 'r', 's']);
    expect(g.input.map((v) => v.name)).toEqual(['x']); // initializers are not graph inputs
  });

  it('throws on a model that breaks the contract (a compiler bug, not a user error)', () => {
    const wrongSize = gemm().model;
    wrongSize.initializers[0]!.dims = [5, 7];
    expect(() => encodeModel(wrongSize)).toThrow(/fc.weight has 40 values for dims \[5,7\]/);
    const fractional = convBnReluAdd().model;
    fractional.nodes[0]!.attrs['group'] = { type: 'int', value: 1.5 };
    expect(() => encodeModel(fractional)).toThrow(/attribute group is 1.5/);
    const custom = model({ inputs: [vi('x', [1])], outputs: [vi('y', [1])], valueInfo: [], initializers: [], nodes: [{ ...node('Relu', ['x'], ['y']), domain: 'com.example' }] });
    expect(() => encodeModel(custom)).toThrow(/domain com.example/);
  });
});

const GOLDEN_SHA256 = 'd87c5492ac5b796503d8392742ae14b91a75a2d17d19dda42939f43b740feacd';
