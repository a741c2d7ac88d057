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
import type { OnnxAttr, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './model.js';

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

const byName = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The tensor's data as little-endian bytes (a view of its buffer on little-endian hosts). */
function tensorBytes(t: OnnxTensor): Uint8Array {
  const count = t.dims.reduce((p, d, i) => p * checkInt(d, `dimension ${i} of tensor ${t.name}`), 1);
  const want = t.dataType === 'float32' ? Float32Array : BigInt64Array;
  if (!(t.data instanceof want)) throw new Error(`tensor ${t.name} of type ${t.dataType} holds a ${t.data.constructor.name}`);
  if (t.data.length !== count) throw new Error(`tensor ${t.name} has ${t.data.length} values for dims [${t.dims}]`);
  if (isLittleEndian) return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(t.data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    if (t.data instanceof Float32Array) view.setFloat32(4 * i, t.data[i] as number, true);
    else view.setBigInt64(8 * i, t.data[i] as bigint, true);
  }
  return out;
}

/** A tensor's header; its data is added by the caller, inline or external. */
function tensorHeader(t: OnnxTensor): pb.ITensorProto {
  return {
    dims: t.dims,
    dataType: t.dataType === 'float32' ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64,
    name: t.name,
  };
}

function inlineTensor(t: OnnxTensor): pb.ITensorProto {
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

/** Lays out the initializers of at least `threshold` bytes in an external data file. */
function externalize(
  inits: readonly OnnxTensor[],
  location: string,
  threshold: number,
): { tensors: pb.ITensorProto[]; chunks: Uint8Array[]; byteLength: number } {
  const zeros = new Uint8Array(EXTERNAL_ALIGNMENT);
  const chunks: Uint8Array[] = [];
  let pos = 0;
  const tensors = inits.map((t): pb.ITensorProto => {
    const bytes = tensorBytes(t);
    if (bytes.length < threshold || bytes.length === 0) return { ...tensorHeader(t), rawData: bytes };
    const offset = Math.ceil(pos / EXTERNAL_ALIGNMENT) * EXTERNAL_ALIGNMENT;
    if (offset > pos) chunks.push(zeros.subarray(0, offset - pos));
    chunks.push(bytes);
    pos = offset + bytes.length;
    const entries = { location, offset: String(offset), length: String(bytes.length) };
    return {
      ...tensorHeader(t),
      externalData: Object.entries(entries).map(([key, value]) => ({ key, value })),
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    };
  });
  return { tensors, chunks, byteLength: pos };
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

/** A length-delimited field: its tag (field number, wire type 2), length, then the parts. */
function lengthDelimited(field: number, parts: readonly Uint8Array[]): Uint8Array[] {
  const len = parts.reduce((s, p) => s + p.length, 0);
  return [Uint8Array.from([(field << 3) | 2, ...varint(len)]), ...parts];
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
};

/**
 * Encodes the model as a list of chunks whose concatenation is the .onnx file. Inline tensor data
 * is not copied: each initializer's raw_data chunk is a view of the tensor's own buffer, spliced
 * in after the rest of its message (protobuf accepts fields in any order: the graph comes last in
 * the model, the initializers last in the graph, raw_data last in each tensor).
 */
function encodeChunks(model: OnnxModel, initializers: pb.ITensorProto[], rawData: (Uint8Array | undefined)[]): Uint8Array[] {
  const graph: pb.IGraphProto = {
    node: model.nodes.map(node),
    name: model.graphName,
    input: model.inputs.map(valueInfo),
    output: model.outputs.map(valueInfo),
    valueInfo: model.valueInfo.map(valueInfo),
  };
  const graphParts: Uint8Array[] = [onnx.GraphProto.encode(graph).finish()];
  initializers.forEach((t, i) => {
    const raw = rawData[i];
    const head = onnx.TensorProto.encode(t).finish();
    graphParts.push(...lengthDelimited(5, raw ? [head, ...lengthDelimited(9, [raw])] : [head]));
  });
  const header: pb.IModelProto = {
    irVersion: checkInt(model.irVersion, 'the IR version'),
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    ...(model.docString ? { docString: model.docString } : {}),
    opsetImport: [{ domain: '', version: checkInt(model.opsetVersion, 'the opset version') }],
    metadataProps: Object.entries(model.metadata).sort(byName).map(([key, value]) => ({ key, value })),
  };
  const chunks = [onnx.ModelProto.encode(header).finish(), ...lengthDelimited(7, graphParts)];
  const total = chunks.reduce((s, c) => s + c.length, 0);
  if (total >= PROTOBUF_LIMIT) throw new Error(`encoded model would have ${total} bytes, over protobuf's limit of 2 GiB`);
  return chunks;
}

/** Encodes the model; external data, if any, comes back as chunks of one file. */
export function encodeModelParts(model: OnnxModel, opts: EncodeOptions = {}): EncodedParts {
  const maxInline = opts.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES;
  const total = model.initializers.reduce((s, t) => s + t.data.byteLength, 0);
  let location = opts.externalData?.location;
  if (location === undefined && total > maxInline) location = opts.autoExternalLocation ?? 'model.onnx.data';
  let initializer: pb.ITensorProto[];
  let rawData: (Uint8Array | undefined)[];
  let external: EncodedParts['external'];
  if (location === undefined) {
    initializer = model.initializers.map(tensorHeader);
    rawData = model.initializers.map(tensorBytes);
  } else {
    checkLocation(location);
    const small = model.initializers.reduce((s, t) => s + (t.data.byteLength < EXTERNAL_SIZE_THRESHOLD ? t.data.byteLength : 0), 0);
    const threshold = small > maxInline ? 0 : opts.externalData?.sizeThreshold ?? EXTERNAL_SIZE_THRESHOLD;
    const laid = externalize(model.initializers, location, threshold);
    initializer = laid.tensors.map(({ rawData: _raw, ...head }) => head);
    rawData = laid.tensors.map((t) => (t.rawData ? (t.rawData as Uint8Array) : undefined));
    external = { location, chunks: laid.chunks, byteLength: laid.byteLength };
  }
  const modelChunks = encodeChunks(model, initializer, rawData);
  const parts: EncodedParts = { modelChunks, modelByteLength: modelChunks.reduce((n, c) => n + c.length, 0) };
  return external === undefined ? parts : { ...parts, external };
}

/**
 * Encodes the model; with `opts.externalData` (or automatically when the initializers are too
 * large to be inline) the tensors' data comes back separately, as the bytes of the file to write
 * at `externalLocation`. For external data beyond 4 GiB use encodeModelParts, which does not
 * concatenate.
 */
export function encodeModel(model: OnnxModel, opts: EncodeOptions = {}): Encoded {
  const parts = encodeModelParts(model, opts);
  const bytes = concat(parts.modelChunks);
  if (parts.external === undefined) return { model: bytes };
  return { model: bytes, externalData: concat(parts.external.chunks), externalLocation: parts.external.location };
}
