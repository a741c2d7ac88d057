/**
 * Encodes an OnnxModel as ONNX protobuf bytes. The output is byte-for-byte deterministic: fields
 * in a fixed order, attributes sorted by name, metadata sorted by key, no timestamps. Tensor data
 * is written as little-endian `raw_data`, or, for external data, as 4096-aligned ranges of a
 * separate file that `external_data` entries (location, offset, length) point into.
 *
 * Protobuf messages cannot reach 2 GiB, so initializers go to external data automatically when
 * their total size is over `maxInlineBytes`. A model that breaks the contract of model.ts (data
 * that does not match its dims, a non-integer int attribute) is a compiler bug: encoding throws.
 */
import onnxProto from 'onnx-proto';
import type { onnx as pb } from 'onnx-proto';
import { initializerData, type LazyOnnxModel, type LazyOnnxTensor, type OnnxAttr, type OnnxNode, type OnnxValueInfo } from './model.js';

const { onnx } = onnxProto;

/** Protobuf's limit on the size of one message. */
export const PROTOBUF_LIMIT = 2 ** 31;
/** Default inline limit: 2 GiB less a margin for the graph itself. */
export const DEFAULT_MAX_INLINE_BYTES = PROTOBUF_LIMIT - 256 * 2 ** 20;
/** Tensors smaller than this stay inline in external-data mode (onnx's default threshold). */
export const EXTERNAL_SIZE_THRESHOLD = 1024;
/** Alignment of each tensor's offset in the external data file. */
export const EXTERNAL_ALIGNMENT = 4096;

export interface EncodeOptions {
  /**
   * Store initializers in a separate file, `location` relative to the model's directory. Tensors
   * under `sizeThreshold` bytes (default 1024, as onnx's own writer) stay inline.
   */
  externalData?: { location: string; sizeThreshold?: number };
  /** Location used when the initializers must go external because of their size. */
  autoExternalLocation?: string;
  /** Total initializer bytes above which external data is used automatically. */
  maxInlineBytes?: number;
}

export interface EncodedParts {
  /** The .onnx file as chunks (concatenated, they are the file) that view the tensors' own buffers: no copy of the weights. */
  modelChunks: Uint8Array[];
  modelByteLength: number;
  /** The external data file, as chunks to write in order (they alias the model's tensors). */
  external?: { location: string; chunks: Uint8Array[]; byteLength: number };
}

export interface Encoded {
  model: Uint8Array;
  externalData?: Uint8Array;
  /** Where `externalData` must be written, relative to the model file. */
  externalLocation?: string;
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A Map: the element type of a model read from a file is the file's word (`constructor` is no type). */
const ELEM_TYPES: ReadonlyMap<string, number> = new Map([
  ['float32', onnx.TensorProto.DataType.FLOAT],
  ['uint8', onnx.TensorProto.DataType.UINT8],
  ['int8', onnx.TensorProto.DataType.INT8],
  ['uint16', onnx.TensorProto.DataType.UINT16],
  ['int16', onnx.TensorProto.DataType.INT16],
  ['int32', onnx.TensorProto.DataType.INT32],
  ['int64', onnx.TensorProto.DataType.INT64],
  ['string', onnx.TensorProto.DataType.STRING],
  ['bool', onnx.TensorProto.DataType.BOOL],
  ['float16', onnx.TensorProto.DataType.FLOAT16],
  ['float64', onnx.TensorProto.DataType.DOUBLE],
  ['uint32', onnx.TensorProto.DataType.UINT32],
  ['uint64', onnx.TensorProto.DataType.UINT64],
  ['bfloat16', onnx.TensorProto.DataType.BFLOAT16],
]);

function elemType(name: string): number {
  const t = ELEM_TYPES.get(name);
  if (t === undefined) throw new Error(`cannot encode element type ${name}`);
  return t;
}

function checkInt(v: number, what: string): number {
  if (!Number.isSafeInteger(v)) throw new Error(`${what} is ${v}, not an integer`);
  return v;
}

/** Graph entries (nodes, value infos) encoded together: enough to make writers cheap, few enough to keep their transient objects small. */
const ENCODE_BATCH = 256;

const byName = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The number of values of a tensor by its dims, and the bytes they take. */
function byteLengthOf(t: LazyOnnxTensor): number {
  const count = t.dims.reduce((p, d, i) => p * checkInt(d, `dimension ${i} of tensor ${t.name}`), 1);
  return count * (t.dataType === 'float32' ? 4 : 8);
}

/**
 * Where tensors made on demand are made while a model is streamed: one buffer, grown to the largest
 * tensor, reused for each (a chunk viewing it is written before the next tensor is made).
 */
class Scratch {
  private buf = new Float32Array(0);
  take(count: number): Float32Array {
    if (this.buf.length < count) this.buf = new Float32Array(Math.max(count, 2 * this.buf.length, 1 << 16));
    return this.buf.subarray(0, count);
  }
}

/**
 * The tensor's data as little-endian bytes: a view of its own buffer on little-endian hosts, or of
 * `scratch` for a tensor made on demand (made into it now; valid until the next use of `scratch`).
 */
function tensorBytes(t: LazyOnnxTensor, scratch?: Scratch): Uint8Array {
  const count = t.dims.reduce((p, d, i) => p * checkInt(d, `dimension ${i} of tensor ${t.name}`), 1);
  const want = t.dataType === 'float32' ? Float32Array : BigInt64Array;
  let data: Float32Array | BigInt64Array;
  if (!t.data && t.produce && t.dataType === 'float32' && scratch) {
    data = scratch.take(count);
    t.produce(data);
  } else data = initializerData(t);
  if (!(data instanceof want)) throw new Error(`tensor ${t.name} of type ${t.dataType} holds a ${data.constructor.name}`);
  if (data.length !== count) throw new Error(`tensor ${t.name} has ${data.length} values for dims [${t.dims}]`);
  if (isLittleEndian) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    if (data instanceof Float32Array) view.setFloat32(4 * i, data[i] as number, true);
    else view.setBigInt64(8 * i, data[i] as bigint, true);
  }
  return out;
}

/** A tensor's header; its data is added by the caller, inline or external. */
function tensorHeader(t: LazyOnnxTensor): pb.ITensorProto {
  return {
    dims: t.dims,
    dataType: t.dataType === 'float32' ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64,
    name: t.name,
  };
}

function inlineTensor(t: LazyOnnxTensor): pb.ITensorProto {
  return { ...tensorHeader(t), rawData: tensorBytes(t) };
}

function attribute(name: string, a: OnnxAttr): pb.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  const what = `attribute ${name}`;
  switch (a.type) {
    case 'int':
      return { name, type: T.INT, i: checkInt(a.value, what) };
    case 'ints':
      return { name, type: T.INTS, ints: a.value.map((v) => checkInt(v, what)) };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'floats':
      return { name, type: T.FLOATS, floats: a.value };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case 'tensor':
      return { name, type: T.TENSOR, t: inlineTensor(a.value) };
  }
}

function node(n: OnnxNode): pb.INodeProto {
  if (n.domain !== '') throw new Error(`node ${n.name} is in domain ${n.domain}; only the default domain is written`);
  const attrs = Object.entries(n.attrs).sort(byName);
  return {
    input: n.inputs,
    output: n.outputs,
    name: n.name,
    opType: n.opType,
    attribute: attrs.map(([k, a]) => attribute(k, a)),
    ...(n.docString ? { docString: n.docString } : {}),
  };
}

function valueInfo(v: OnnxValueInfo): pb.IValueInfoProto {
  const dim = v.shape.map((d): pb.TensorShapeProto.IDimension => {
    if (typeof d === 'string') return d === '' ? {} : { dimParam: d };
    return { dimValue: checkInt(d, `a dimension of ${v.name}`) };
  });
  return { name: v.name, type: { tensorType: { elemType: elemType(v.elemType), shape: { dim } } } };
}

/**
 * Where each initializer's data goes: inline (`raw_data` in the model, `rawLength` bytes) or to the
 * external data file (the header says where). Computed from the dims alone: no data is made.
 */
interface Layout {
  headers: pb.ITensorProto[];
  /** Bytes of each tensor's inline raw_data, or undefined for a tensor in the external file. */
  rawLength: (number | undefined)[];
  /** The tensors of the external file in order, each at its (aligned) offset. */
  external: { index: number; offset: number; length: number }[];
  externalLength: number;
}

/** Lays out the initializers of at least `threshold` bytes in an external data file (every one inline without a location). */
function layout(inits: readonly LazyOnnxTensor[], lengths: readonly number[], location: string | undefined, threshold: number): Layout {
  const headers: pb.ITensorProto[] = [];
  const rawLength: (number | undefined)[] = [];
  const external: Layout['external'] = [];
  let pos = 0;
  inits.forEach((t, index) => {
    const length = lengths[index]!;
    if (location === undefined || length < threshold || length === 0) {
      headers.push(tensorHeader(t));
      rawLength.push(length);
      return;
    }
    const offset = Math.ceil(pos / EXTERNAL_ALIGNMENT) * EXTERNAL_ALIGNMENT;
    external.push({ index, offset, length });
    pos = offset + length;
    const entries = { location, offset: String(offset), length: String(length) };
    headers.push({
      ...tensorHeader(t),
      externalData: Object.entries(entries).map(([key, value]) => ({ key, value })),
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    });
    rawLength.push(undefined);
  });
  return { headers, rawLength, external, externalLength: pos };
}

function checkLocation(location: string): string {
  const parts = location.split(/[\\/]/);
  if (location === '' || location.startsWith('/') || /^[A-Za-z]:/.test(location) || parts.includes('..')) {
    throw new Error(`external data location ${location} is not a relative path inside the model's directory`);
  }
  return location;
}

/** Protobuf's varint encoding of a non-negative length. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** The tag (field number, wire type 2) and length of a length-delimited field. */
function fieldHead(field: number, length: number): Uint8Array {
  return Uint8Array.from([(field << 3) | 2, ...varint(length)]);
}

const concat = (parts: Iterable<Uint8Array>, byteLength: number): Uint8Array => {
  const out = new Uint8Array(byteLength);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  if (pos !== byteLength) throw new Error(`internal: encoded ${pos} bytes, expected ${byteLength}`);
  return out;
};

/** A file as a sequence of chunks, made as they are read, and its length in bytes (known before). */
export interface StreamedFile {
  /**
   * The file's bytes, in order. Tensors made on demand are made as the sequence reaches them and
   * are not kept: a chunk may be a view of a buffer that the next step reuses or drops, so write
   * (or copy) each one before asking for the next. Held tensors are not copied: their chunks view
   * the tensors' own buffers. Iterable more than once (each pass makes the tensors again).
   */
  chunks: Iterable<Uint8Array>;
  byteLength: number;
}

export interface StreamedModel {
  /** The .onnx file. */
  model: StreamedFile;
  /** The external data file, at `location` relative to the model's folder. */
  external?: StreamedFile & { location: string };
}

/**
 * Encodes the model as chunks to write in order, without making its tensors: each initializer's
 * data is made (if it is made on demand), turned into bytes and handed out only when the sequence
 * reaches it. The framing is computed from the sizes the dims give: protobuf accepts fields in any
 * order, so the graph comes last in the model, the initializers last in the graph, and raw_data
 * last in each tensor, each preceded by its length.
 */
export function streamModel(model: LazyOnnxModel, opts: EncodeOptions = {}): StreamedModel {
  return stream(model, opts, true);
}

/** streamModel; without `reuse` each tensor made on demand is made into an array of its own, which the chunks keep. */
function stream(model: LazyOnnxModel, opts: EncodeOptions, reuse: boolean): StreamedModel {
  const maxInline = opts.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES;
  const inits = model.initializers;
  const lengths = inits.map(byteLengthOf);
  const total = lengths.reduce((s, n) => s + n, 0);
  let location = opts.externalData?.location;
  if (location === undefined && total > maxInline) location = opts.autoExternalLocation ?? 'model.onnx.data';
  let threshold = 0;
  if (location !== undefined) {
    checkLocation(location);
    const small = lengths.reduce((s, n) => s + (n < EXTERNAL_SIZE_THRESHOLD ? n : 0), 0);
    threshold = small > maxInline ? 0 : opts.externalData?.sizeThreshold ?? EXTERNAL_SIZE_THRESHOLD;
  }
  const laid = layout(inits, lengths, location, threshold);
  // The graph's fields before the initializers, encoded a batch of entries at a time (a message is
  // its fields in order, so the parts concatenated are GraphProto.encode of them all): encoding
  // every node at once made transient objects taking far more memory than the bytes, and one
  // encoding per node spent its time making and finishing writers.
  const G = onnx.GraphProto;
  const graphParts: Uint8Array[] = [];
  const batched = <T>(items: readonly T[], encode: (batch: T[]) => Uint8Array) => {
    for (let i = 0; i < items.length; i += ENCODE_BATCH) graphParts.push(encode(items.slice(i, i + ENCODE_BATCH)));
  };
  batched(model.nodes, (b) => G.encode({ node: b.map(node) }).finish());
  graphParts.push(G.encode({ name: model.graphName }).finish());
  batched(model.inputs, (b) => G.encode({ input: b.map(valueInfo) }).finish());
  batched(model.outputs, (b) => G.encode({ output: b.map(valueInfo) }).finish());
  batched(model.valueInfo, (b) => G.encode({ valueInfo: b.map(valueInfo) }).finish());
  const graphBodyLength = graphParts.reduce((n, p) => n + p.length, 0);
  // each initializer: field 5 of the graph, holding its header and, inline, raw_data (field 9)
  const heads = laid.headers.map((h) => onnx.TensorProto.encode(h).finish());
  const tensorLength = heads.map((h, i) => {
    const raw = laid.rawLength[i];
    return h.length + (raw === undefined ? 0 : fieldHead(9, raw).length + raw);
  });
  const graphLength = tensorLength.reduce((s, n) => s + fieldHead(5, n).length + n, graphBodyLength);
  const header: pb.IModelProto = {
    irVersion: checkInt(model.irVersion, 'the IR version'),
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    ...(model.docString ? { docString: model.docString } : {}),
    opsetImport: [{ domain: '', version: checkInt(model.opsetVersion, 'the opset version') }],
    metadataProps: Object.entries(model.metadata).sort(byName).map(([key, value]) => ({ key, value })),
  };
  const modelHead = onnx.ModelProto.encode(header).finish();
  const graphField = fieldHead(7, graphLength);
  const modelLength = modelHead.length + graphField.length + graphLength;
  if (modelLength >= PROTOBUF_LIMIT) throw new Error(`encoded model would have ${modelLength} bytes, over protobuf's limit of 2 GiB`);
  const modelChunks = function* (): Generator<Uint8Array> {
    const scratch = reuse ? new Scratch() : undefined;
    yield modelHead;
    yield graphField;
    yield* graphParts;
    for (let i = 0; i < inits.length; i++) {
      yield fieldHead(5, tensorLength[i]!);
      yield heads[i]!;
      const raw = laid.rawLength[i];
      if (raw === undefined) continue;
      yield fieldHead(9, raw);
      if (raw > 0) yield tensorBytes(inits[i]!, scratch);
      else tensorBytes(inits[i]!, scratch); // checked all the same
    }
  };
  const parts: StreamedModel = { model: { chunks: { [Symbol.iterator]: modelChunks }, byteLength: modelLength } };
  if (location === undefined) return parts;
  const zeros = new Uint8Array(EXTERNAL_ALIGNMENT);
  const externalChunks = function* (): Generator<Uint8Array> {
    const scratch = reuse ? new Scratch() : undefined;
    let pos = 0;
    for (const e of laid.external) {
      if (e.offset > pos) yield zeros.subarray(0, e.offset - pos);
      yield tensorBytes(inits[e.index]!, scratch);
      pos = e.offset + e.length;
    }
  };
  return { ...parts, external: { location, chunks: { [Symbol.iterator]: externalChunks }, byteLength: laid.externalLength } };
}

/**
 * Encodes the model; external data, if any, comes back as chunks of one file. Every tensor made on
 * demand is made now and held in the chunks: for a large model, write streamModel's chunks instead.
 */
export function encodeModelParts(model: LazyOnnxModel, opts: EncodeOptions = {}): EncodedParts {
  const s = stream(model, opts, false);
  const parts: EncodedParts = { modelChunks: [...s.model.chunks], modelByteLength: s.model.byteLength };
  if (s.external === undefined) return parts;
  return { ...parts, external: { location: s.external.location, chunks: [...s.external.chunks], byteLength: s.external.byteLength } };
}

/**
 * Encodes the model; with `opts.externalData` (or automatically when the initializers are too
 * large to be inline) the tensors' data comes back separately, as the bytes of the file to write
 * at `externalLocation`. For external data beyond 4 GiB use streamModel, which does not
 * concatenate.
 */
export function encodeModel(model: LazyOnnxModel, opts: EncodeOptions = {}): Encoded {
  const s = streamModel(model, opts);
  const bytes = concat(s.model.chunks, s.model.byteLength);
  if (s.external === undefined) return { model: bytes };
  return { model: bytes, externalData: concat(s.external.chunks, s.external.byteLength), externalLocation: s.external.location };
}
