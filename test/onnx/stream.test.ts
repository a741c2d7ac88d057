/**
 * The streamed model (tensors made as the writer reaches them) is the same file as the model with
 * every tensor made first: seeded and folded tensors are made on demand by the pipeline.
 */
import { describe, expect, it } from 'vitest';
import { compileFileLazy } from '../../src/node/compile.js';
import { materializeModel } from '../../src/onnx/model.js';
import { encodeModel, streamModel } from '../../src/onnx/write.js';

/** The chunks' bytes, each copied as it comes (a chunk may view a buffer reused for the next). */
const concat = (chunks: Iterable<Uint8Array>): Buffer => {
  const parts: Uint8Array[] = [];
  for (const c of chunks) parts.push(c.slice());
  return Buffer.concat(parts);
};
/** Byte equality without a diff of a million elements when it fails. */
const same = (a: Uint8Array, b: Uint8Array | undefined): boolean => b !== undefined && Buffer.compare(a, b) === 0;

describe('streamModel', () => {
  for (const fuse of [true, false]) {
    it(`gives the bytes of the materialized model, and the same bytes when iterated again (${fuse ? 'fused' : 'unfused'})`, () => {
      const r = compileFileLazy('examples/cifar_resnet20.resdsl', { fuse });
      if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
      expect(r.model.initializers.some((t) => t.produce !== undefined && t.data === undefined)).toBe(true);
      const held = encodeModel(materializeModel(r.model)).model;
      const streamed = streamModel(r.model);
      expect(streamed.model.byteLength).toBe(held.length);
      expect(same(concat(streamed.model.chunks), held)).toBe(true);
      expect(same(concat(streamed.model.chunks), held)).toBe(true);
    });
  }

  it('lays external data out from the dims alone, and makes it the same as the held model', () => {
    const r = compileFileLazy('examples/cifar_resnet20.resdsl');
    if (!r.ok) throw new Error('compile failed');
    const opts = { externalData: { location: 'w.data' } };
    const held = encodeModel(materializeModel(r.model), opts);
    const streamed = streamModel(r.model, opts);
    expect(same(concat(streamed.model.chunks), held.model)).toBe(true);
    expect(streamed.external?.byteLength).toBe(held.externalData?.length);
    expect(same(concat(streamed.external!.chunks), held.externalData)).toBe(true);
  });
});
