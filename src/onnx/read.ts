/**
 * Reads ONNX protobuf bytes (any producer's) into the plain OnnxModel of model.ts, and single
 * TensorProto files (the `input_0.pb` of ONNX's test suites). Never throws on bad input: truncated,
 * non-ONNX or lying bytes come back as an E0801 problem. Tensors are read as float32 or int64 only;
 * attributes that OnnxAttr cannot hold are listed in `unreadAttrs` for the consumer to reject.
 */
import onnxProto from 'onnx-proto';
import type { Code } from '../diagnostics/codes.js';
import { fail, ok, type Result } from '../diagnostics/result.js';
import { limits } from '../limits.js';
import type { OnnxAttr, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './model.js';

const { onnx } = onnxProto;
/** TensorProto.DataType and AttributeProto.AttributeType: the numbers the file holds. */
const DataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;

// The executor's kernels import the one Result type from here too (diagnostics/result.ts).
export { fail, ok, type Result } from '../diagnostics/result.js';

/**
 * Access to the files that tensors keep their data in (`location` entries, relative to the model):
 * the bytes at `offset`, or a message saying why not. The CLI's implementation (node/external-data.ts)
 * reads regular files inside the model's folder only.
 */
export interface ExternalFiles {
  read(location: string, offset: number, length: number, tensor: string): Uint8Array | string;
}

export interface ReadOptions {
  external?: ExternalFiles;
}

/** Thrown inside this file only; turned into a Result at the two entry points. */
class ReadFailure extends Error {}

// Maps, like every table looked up with a value from a file.
const elemTypeNames = new Map<number, string>([
  [DataType.FLOAT, 'float32'], [DataType.UINT8, 'uint8'], [DataType.INT8, 'int8'], [DataType.UINT16, 'uint16'],
  [DataType.INT16, 'int16'], [DataType.INT32, 'int32'], [DataType.INT64, 'int64'], [DataType.STRING, 'string'],
  [DataType.BOOL, 'bool'], [DataType.FLOAT16, 'float16'], [DataType.DOUBLE, 'float64'], [DataType.UINT32, 'uint32'],
  [DataType.UINT64, 'uint64'], [DataType.COMPLEX64, 'complex64'], [DataType.COMPLEX128, 'complex128'],
  [DataType.BFLOAT16, 'bfloat16'],
]);

/** The attribute types OnnxAttr cannot hold, by name (readAttr reads the others). */
const attrTypeNames = new Map<number, string>([
  [AttrType.GRAPH, 'graph'], [AttrType.STRINGS, 'strings'], [AttrType.TENSORS, 'tensors'], [AttrType.GRAPHS, 'graphs'],
  [AttrType.SPARSE_TENSOR, 'sparse tensor'], [AttrType.SPARSE_TENSORS, 'sparse tensors'],
  [AttrType.TYPE_PROTO, 'type proto'], [AttrType.TYPE_PROTOS, 'type protos'],
]);

/** The element types readTensor reads. */
const readable = (dtype: number): boolean => dtype === DataType.FLOAT || dtype === DataType.INT64;

/**
 * Sets `key` as an own, enumerable entry of `obj`: an attribute or metadata key named `__proto__`
 * (or `constructor`) is an entry like any other, never the object's prototype.
 */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

type Long = { low: number; high: number; toNumber(): number };
type IntLike = number | Long;

function toNumber(v: IntLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

function toBigInt(v: IntLike): bigint {
  if (typeof v === 'number') return BigInt(v);
  return BigInt.asIntN(64, (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0));
}

function elemTypeName(t: number): string {
  return elemTypeNames.get(t) ?? `data type ${t}`;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Copies little-endian bytes into a fresh, aligned typed array. */
function copyLE<T extends Float32Array | BigInt64Array>(bytes: Uint8Array, out: T): T {
  if (littleEndian) {
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) {
    if (out instanceof Float32Array) out[i] = view.getFloat32(i * 4, true);
    else out[i] = view.getBigInt64(i * 8, true);
  }
  return out;
}

/** Reads `length` bytes at `offset` of the external file a tensor names, through the caller's file access. */
function readExternal(name: string, entries: Map<string, string>, want: number, files?: ExternalFiles): Uint8Array {
  const location = entries.get('location');
  if (location === undefined) throw new ReadFailure(`tensor '${name}' has external data without a location`);
  if (files === undefined) throw new ReadFailure(`tensor '${name}' keeps its data in '${location}', but no model directory was given`);
  const offset = Number(entries.get('offset') ?? '0');
  const length = entries.has('length') ? Number(entries.get('length')) : want;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length !== want) {
    throw new ReadFailure(`tensor '${name}' has external data of offset ${offset} and length ${length}, expected ${want} bytes`);
  }
  const r = files.read(location, offset, length, name);
  if (typeof r === 'string') throw new ReadFailure(r);
  return r;
}

function tensorDims(name: string, dims: IntLike[]): { dims: number[]; count: number } {
  const out = dims.map(toNumber);
  let count = 1;
  for (const d of out) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ReadFailure(`tensor '${name}' has invalid dimension ${d}`);
    count *= d;
  }
  if (count > limits.maxTensorElements) {
    throw new ReadFailure(`tensor '${name}' has ${count} elements, more than ${limits.maxTensorElements}`);
  }
  return { dims: out, count };
}

/** Converts a TensorProto; throws ReadFailure for other element types or inconsistent sizes. */
function readTensor(t: onnxProto.onnx.ITensorProto, files: ExternalFiles | undefined, what: string): OnnxTensor {
  const name = t.name ?? '';
  const label = name === '' ? what : `${what} '${name}'`;
  const dtype = t.dataType ?? DataType.UNDEFINED;
  if (!readable(dtype)) {
    throw new ReadFailure(`${label} has element type ${elemTypeName(dtype)}; only float32 and int64 tensors can be read`);
  }
  if (t.segment) throw new ReadFailure(`${label} is segmented, which is not supported`);
  const { dims, count } = tensorDims(name, t.dims ?? []);
  const float = dtype === DataType.FLOAT;
  const width = float ? 4 : 8;
  let raw: Uint8Array | undefined;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    raw = readExternal(name, entries, count * width, files);
  } else if (t.rawData && t.rawData.length > 0) {
    raw = t.rawData;
  }
  if (raw !== undefined) {
    if (raw.length !== count * width) {
      throw new ReadFailure(`${label} has ${raw.length} bytes of data, expected ${count * width}`);
    }
    return float
      ? { name, dims, dataType: 'float32', data: copyLE(raw, new Float32Array(count)) }
      : { name, dims, dataType: 'int64', data: copyLE(raw, new BigInt64Array(count)) };
  }
  const values: IntLike[] = float ? t.floatData ?? [] : t.int64Data ?? [];
  if (values.length !== count) {
    throw new ReadFailure(`${label} has ${values.length} values, expected ${count}`);
  }
  if (float) return { name, dims, dataType: 'float32', data: Float32Array.from(t.floatData ?? []) };
  return { name, dims, dataType: 'int64', data: BigInt64Array.from(values, toBigInt) };
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/** An attribute as OnnxAttr, or a string naming its type when OnnxAttr cannot hold it. */
function readAttr(a: onnxProto.onnx.IAttributeProto, node: string, files?: ExternalFiles): OnnxAttr | string {
  const own = (k: string): boolean => Object.prototype.hasOwnProperty.call(a, k);
  let type: number = a.type ?? AttrType.UNDEFINED;
  if (type === AttrType.UNDEFINED) {
    // Old files leave the type unset: infer it from the field that is present.
    if (own('f')) type = AttrType.FLOAT;
    else if (own('i')) type = AttrType.INT;
    else if (own('s')) type = AttrType.STRING;
    else if (own('t')) type = AttrType.TENSOR;
    else if ((a.floats ?? []).length > 0) type = AttrType.FLOATS;
    else if ((a.ints ?? []).length > 0) type = AttrType.INTS;
    else return 'unknown';
  }
  switch (type) {
    case AttrType.FLOAT: return { type: 'float', value: a.f ?? 0 };
    case AttrType.INT: return { type: 'int', value: toNumber(a.i) };
    case AttrType.STRING: return { type: 'string', value: textDecoder.decode(a.s ?? new Uint8Array(0)) };
    case AttrType.TENSOR: {
      const t = a.t ?? {};
      const dt = t.dataType ?? DataType.UNDEFINED;
      if (!readable(dt)) return `tensor of ${elemTypeName(dt)}`;
      return { type: 'tensor', value: readTensor(t, files, `tensor of attribute '${a.name}' of node '${node}'`) };
    }
    case AttrType.FLOATS: return { type: 'floats', value: [...(a.floats ?? [])] };
    case AttrType.INTS: return { type: 'ints', value: (a.ints ?? []).map(toNumber) };
    default: return attrTypeNames.get(type) ?? `attribute type ${type}`;
  }
}

function readNode(n: onnxProto.onnx.INodeProto, files?: ExternalFiles): OnnxNode {
  const name = n.name ?? '';
  const opType = n.opType ?? '';
  if (opType === '') throw new ReadFailure(`node '${name}' has no operator type`);
  const attrs: Record<string, OnnxAttr> = {};
  const unread: Record<string, string> = {};
  for (const a of n.attribute ?? []) {
    const key = a.name ?? '';
    if (key === '') throw new ReadFailure(`node '${name}' has an attribute without a name`);
    if (Object.hasOwn(attrs, key) || Object.hasOwn(unread, key)) throw new ReadFailure(`node '${name}' has attribute ${key} twice`);
    const v = readAttr(a, name, files);
    if (typeof v === 'string') setOwn(unread, key, v);
    else setOwn(attrs, key, v);
  }
  const node: OnnxNode = {
    name, opType, domain: n.domain ?? '', inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attrs,
  };
  if (Object.keys(unread).length > 0) node.unreadAttrs = unread;
  if (n.docString) node.docString = n.docString;
  return node;
}

function readValueInfo(v: onnxProto.onnx.IValueInfoProto): OnnxValueInfo {
  const name = v.name ?? '';
  const t = v.type ?? {};
  if (t.tensorType) {
    const dims = t.tensorType.shape?.dim ?? [];
    const shape = dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? toNumber(d.dimValue) : '?'));
    return { name, elemType: elemTypeName(t.tensorType.elemType ?? DataType.UNDEFINED), shape };
  }
  const kind = t.sequenceType ? 'sequence' : t.mapType ? 'map' : t.optionalType ? 'optional' : t.sparseTensorType ? 'sparse_tensor' : 'unknown';
  return { name, elemType: kind, shape: [] };
}

/**
 * The ai.onnx opset version. Files before IR version 3 had no imports and mean opset 1; a model
 * whose nodes are all in other domains may import none, and gets 0.
 */
function opsetOf(m: onnxProto.onnx.ModelProto, nodes: OnnxNode[]): number {
  for (const o of m.opsetImport ?? []) {
    if (!o.domain || o.domain === 'ai.onnx') return toNumber(o.version);
  }
  if (toNumber(m.irVersion) < 3) return 1;
  if (nodes.some((n) => n.domain === '' || n.domain === 'ai.onnx')) throw new ReadFailure('model imports no ai.onnx operator set');
  return 0;
}

function convert(m: onnxProto.onnx.ModelProto, files?: ExternalFiles): OnnxModel {
  const g = m.graph;
  if (!g) throw new ReadFailure('model has no graph');
  const metadata: Record<string, string> = {};
  // as protobuf maps: a key given twice keeps its last value
  for (const p of m.metadataProps ?? []) setOwn(metadata, p.key ?? '', p.value ?? '');
  if ((g.sparseInitializer ?? []).length > 0) throw new ReadFailure('sparse initializers are not supported');
  const initializers = (g.initializer ?? []).map((t) => readTensor(t, files, 'initializer'));
  const initNames = new Set(initializers.map((t) => t.name));
  const nodes = (g.node ?? []).map((n) => readNode(n, files));
  const model: OnnxModel = {
    irVersion: toNumber(m.irVersion),
    opsetVersion: opsetOf(m, nodes),
    producerName: m.producerName ?? '',
    producerVersion: m.producerVersion ?? '',
    graphName: g.name ?? '',
    metadata,
    // Old exporters list initializers among the inputs too; those are not inputs to feed.
    inputs: (g.input ?? []).map(readValueInfo).filter((v) => !initNames.has(v.name)),
    outputs: (g.output ?? []).map(readValueInfo),
    valueInfo: (g.valueInfo ?? []).map(readValueInfo),
    nodes,
    initializers,
  };
  if (m.docString) model.docString = m.docString;
  return model;
}

function guard<T>(what: string, f: () => T): Result<T> {
  try {
    return ok(f());
  } catch (e) {
    if (e instanceof ReadFailure) return fail('E0801', e.message);
    const detail = e instanceof Error ? e.message : String(e);
    return fail('E0801', `${what} is not a valid ONNX protobuf: ${detail}`);
  }
}

/** Decodes the bytes of a .onnx file. */
export function decodeModel(bytes: Uint8Array, opts: ReadOptions = {}): Result<OnnxModel> {
  return guard('file', () => {
    if (bytes.length === 0) throw new ReadFailure('file is empty');
    return convert(onnx.ModelProto.decode(bytes), opts.external);
  });
}

/** Decodes the bytes of one serialized TensorProto (a `.pb` file of ONNX's test data). */
export function decodeTensor(bytes: Uint8Array, opts: ReadOptions = {}): Result<OnnxTensor> {
  return guard('tensor file', () => readTensor(onnx.TensorProto.decode(bytes), opts.external, 'tensor'));
}
