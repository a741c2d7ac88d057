import { externalFiles } from '../../../src/node/external-data.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, decodeTensor } from '../../../src/onnx/read.js';
import { encodeModel } from '../../../src/onnx/write.js';
import { resnetModel } from '../../../scripts/resnet-onnx.js';

const { onnx } = onnxProto;

/** A one-node model (Identity of initializer `w`) around the given TensorProto fields. */
function modelWith(tensor: onnxProto.onnx.ITensorProto, extra: Partial<onnxProto.onnx.INodeProto> = {}): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g', initializer: [{ name: 'w', ...tensor }],
      node: [{ opType: 'Identity', input: ['w'], output: ['y'], name: 'n', ...extra }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 2 }] } } } }],
    },
  }).finish();
}

const dir = mkdtempSync(join(tmpdir(), 'resdsl-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decodeModel', () => {
  it('reads back what write.ts writes', () => {
    const m = resnetModel({ block: 'basic', layers: [1, 1], width: 4, classes: 3, seed: 9 }, 'tiny');
    const back = decodeModel(encodeModel(m).model);
    if (!back.ok) throw new Error(back.error.message);
    expect(back.value.nodes).toEqual(m.nodes);
    expect(back.value.initializers).toEqual(m.initializers);
    expect(back.value.inputs).toEqual(m.inputs);
    expect(back.value.outputs).toEqual(m.outputs);
    expect(back.value.opsetVersion).toBe(17);
  });

  it('reads float_data, int64_data and symbolic dimensions', () => {
    const f = decodeModel(modelWith({ dataType: 1, dims: [2], floatData: [1.5, -2] }));
    if (!f.ok) throw new Error(f.error.message);
    expect(f.value.initializers[0]).toEqual({ name: 'w', dims: [2], dataType: 'float32', data: Float32Array.of(1.5, -2) });
    expect(f.value.outputs[0]).toEqual({ name: 'y', elemType: 'float32', shape: ['N', 2] });
    const i = decodeModel(modelWith({ dataType: 7, dims: [3], int64Data: [1, -1, 2 ** 40] }));
    expect(i.ok && i.value.initializers[0]!.data).toEqual(BigInt64Array.of(1n, -1n, 2n ** 40n));
  });

  it('lists attributes it cannot represent instead of dropping them silently', () => {
    const bytes = modelWith({ dataType: 1, dims: [1], floatData: [0] }, {
      attribute: [{ name: 'then_branch', type: 5, g: { name: 'sub' } }, { name: 'k', type: 2, i: 3 }],
    });
    const m = decodeModel(bytes);
    expect(m.ok && m.value.nodes[0]).toMatchObject({ attrs: { k: { type: 'int', value: 3 } }, unreadAttrs: { then_branch: 'graph' } });
  });

  it('rejects tensors whose data does not match their shape, or of other element types', () => {
    const cases: [onnxProto.onnx.ITensorProto, string][] = [
      [{ dataType: 1, dims: [3], rawData: new Uint8Array(8) }, "initializer 'w' has 8 bytes of data, expected 12"],
      [{ dataType: 1, dims: [3], floatData: [1] }, "initializer 'w' has 1 values, expected 3"],
      [{ dataType: 6, dims: [1], int32Data: [1] }, "initializer 'w' has element type int32; only float32 and int64 tensors can be read"],
      [{ dataType: 1, dims: [-1] }, "tensor 'w' has invalid dimension -1"],
      [{ dataType: 1, dims: [2 ** 20, 2 ** 20] }, "tensor 'w' has 1099511627776 elements, more than 2147483647"],
    ];
    for (const [t, msg] of cases) {
      expect(decodeModel(modelWith(t))).toMatchObject({ ok: false, error: { code: 'E0801', message: msg } });
    }
  });

  it('reads external data under the model directory and refuses anything else', () => {
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(new Float32Array([7, 8, 9, 10]).buffer));
    const ext = (location: string, offset: number, length: number) => modelWith({
      dataType: 1, dims: [2], dataLocation: 1,
      externalData: [{ key: 'location', value: location }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(length) }],
    });
    const good = decodeModel(ext('w.bin', 8, 8), { external: externalFiles(dir) });
    expect(good.ok && good.value.initializers[0]!.data).toEqual(Float32Array.of(9, 10));
    const message = (bytes: Uint8Array, baseDir?: string) => {
      const r = decodeModel(bytes, baseDir === undefined ? {} : { external: externalFiles(baseDir) });
      return r.ok ? 'ok' : r.error.message;
    };
    expect(message(ext('w.bin', 12, 8), dir)).toBe("external data of tensor 'w' ends at byte 20 but 'w.bin' has 16");
    expect(message(ext('w.bin', 0, 4), dir)).toBe("tensor 'w' has external data of offset 0 and length 4, expected 8 bytes");
    expect(message(ext('../w.bin', 0, 8), dir)).toBe("tensor 'w' names external file '../w.bin' outside the model's directory");
    expect(message(ext('/etc/passwd', 0, 8), dir)).toBe("tensor 'w' names external file '/etc/passwd' outside the model's directory");
    expect(message(ext('missing.bin', 0, 8), dir)).toBe("cannot open external data file 'missing.bin' of tensor 'w'");
    expect(message(ext('w.bin', 0, 8))).toBe("tensor 'w' keeps its data in 'w.bin', but no model directory was given");
  });

  it('returns E0801 for empty, truncated and random bytes, never throwing', () => {
    expect(decodeModel(new Uint8Array(0))).toMatchObject({ ok: false, error: { code: 'E0801', message: 'file is empty' } });
    const bytes = encodeModel(resnetModel({ block: 'basic', layers: [1], width: 2, classes: 2 })).model;
    for (let cut = 1; cut < bytes.length; cut += 97) {
      const r = decodeModel(bytes.subarray(0, cut));
      if (!r.ok) expect(r.error.code).toBe('E0801');
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      const r = decodeModel(b);
      return r.ok || r.error.code === 'E0801';
    }), { numRuns: 300 });
    const text = decodeModel(new TextEncoder().encode('this is not an onnx file'));
    expect(text.ok).toBe(false);
  });
});

describe('decodeTensor', () => {
  it('reads a TensorProto file', () => {
    const bytes = onnx.TensorProto.encode({ name: 'x', dataType: 1, dims: [1, 2], rawData: new Uint8Array(Float32Array.of(3, 4).buffer) }).finish();
    expect(decodeTensor(bytes)).toEqual({ ok: true, value: { name: 'x', dims: [1, 2], dataType: 'float32', data: Float32Array.of(3, 4) } });
    expect(decodeTensor(bytes.subarray(0, 7)).ok).toBe(false);
  });
});
