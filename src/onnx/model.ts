/**
 * A plain, in-memory ONNX model: what the IR lowers to (lower.ts), what is written as protobuf
 * bytes (write.ts), what is read back from any .onnx file (read.ts), and what the JS executor
 * runs. Only float32 tensors; attribute values typed as ONNX types them.
 */

/** A dimension: a fixed size, or a symbolic name such as "N". */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  /** Element type; resdsl only produces 'float32', a read file may carry others. */
  elemType: 'float32' | string;
  shape: OnnxDim[];
}

export type OnnxAttr =
  | { type: 'int'; value: number }
  | { type: 'ints'; value: number[] }
  | { type: 'float'; value: number }
  | { type: 'floats'; value: number[] }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  name: string;
  opType: string;
  /** Operator set domain: '' (ai.onnx) for everything resdsl emits. */
  domain: string;
  /** Input value names, in ONNX order; '' for an omitted optional input. */
  inputs: string[];
  outputs: string[];
  /** Attributes in the order they are written (sorted by name, for determinism). */
  attrs: Record<string, OnnxAttr>;
  /**
   * Attributes read.ts found but cannot represent as an OnnxAttr (graphs, string lists, tensors of
   * another element type...), by name, with their ONNX type; absent when there are none. The
   * executor rejects a node that has any.
   */
  unreadAttrs?: Record<string, string>;
  /** Source location, `file:line:col`, written to the node's doc_string. */
  docString?: string;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** float32 data, or int64 data (for shape tensors of Reshape/Pad) stored as numbers. */
  dataType: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
}

export interface OnnxModel {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  graphName: string;
  docString?: string;
  /** Model metadata_props (for example `resdsl.source_sha256`), written sorted by key. */
  metadata: Record<string, string>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Inferred types of intermediate values (value_info). */
  valueInfo: OnnxValueInfo[];
  /** Topologically ordered. */
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
}

/**
 * An initializer whose values may be made on demand (`produce`: seeded or folded weights) rather
 * than held (`data`, which wins when both are there): what lowering makes, so that writing a model
 * makes and writes one tensor at a time, into one reused buffer (write.ts streamModel).
 * `materializeModel` turns such a model into a plain OnnxModel with every tensor's data in memory.
 */
export interface LazyOnnxTensor {
  name: string;
  dims: number[];
  dataType: 'float32' | 'int64';
  data?: Float32Array | BigInt64Array;
  /** For float32 tensors: fills `out` (of the dims' element count) with the values, the same at every call. */
  produce?: (out: Float32Array) => void;
}

export interface LazyOnnxModel extends Omit<OnnxModel, 'initializers'> {
  initializers: LazyOnnxTensor[];
}

/** The number of values of a tensor with these dims. */
export function valueCount(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

/** An initializer's values: its data, or a new array filled by its producer. */
export function initializerData(t: LazyOnnxTensor): Float32Array | BigInt64Array {
  if (t.data) return t.data;
  if (!t.produce || t.dataType !== 'float32') throw new Error(`internal: initializer ${t.name} has no data`);
  const out = new Float32Array(valueCount(t.dims));
  t.produce(out);
  return out;
}

/** The model with every initializer's data made and held: what the executor and in-process tools take. */
export function materializeModel(m: LazyOnnxModel): OnnxModel {
  return { ...m, initializers: m.initializers.map((t) => (t.data && !t.produce ? (t as OnnxTensor) : { name: t.name, dims: t.dims, dataType: t.dataType, data: initializerData(t) })) };
}
