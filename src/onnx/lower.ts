/**
 * Lowering an IR graph (shortcuts resolved, weights attached) to the plain ONNX model of
 * model.ts: one ONNX node per IR node by the op's own mapping, identity-like ops aliased away,
 * graph inputs and outputs under the DSL's names, value_info for every intermediate value, and
 * each node's source location in its doc_string.
 */
import { positionOf, type Sources } from '../diagnostics/render.js';
import { opDef, type OnnxAttrValue, type OnnxBuilder } from '../ir/ops/index.js';
import type { IrGraph, IrNode, TensorType } from '../ir/types.js';
import { materializeModel, type LazyOnnxModel, type LazyOnnxTensor, type OnnxAttr, type OnnxModel, type OnnxNode, type OnnxValueInfo } from './model.js';

export const defaultOpset = 17;
export const supportedOpsets = [13, 14, 15, 16, 17] as const;
/** The IR version that goes with each opset (onnx's VERSION_TABLE). */
export function irVersionFor(opset: number): number {
  return opset <= 14 ? 7 : 8;
}

export interface LowerOptions {
  opset?: number;
  sources?: Sources;
  producerVersion: string;
  metadata?: Record<string, string>;
}

function attr(v: OnnxAttrValue): OnnxAttr {
  if ('int' in v) return { type: 'int', value: v.int };
  if ('ints' in v) return { type: 'ints', value: v.ints };
  return { type: 'float', value: v.float };
}

function valueInfo(name: string, t: TensorType): OnnxValueInfo {
  return { name, elemType: 'float32', shape: [...t.shape] };
}

/** An ONNX node of the given type and attributes (sorted by name, for deterministic files). */
function onnxNode(name: string, opType: string, inputs: string[], attrs: Record<string, OnnxAttrValue>, doc: string | undefined): OnnxNode {
  const sorted: Record<string, OnnxAttr> = {};
  for (const k of Object.keys(attrs).sort()) sorted[k] = attr(attrs[k]!);
  return { name, opType, domain: '', inputs, outputs: [name], attrs: sorted, ...(doc ? { docString: doc } : {}) };
}

/**
 * What an op's lowering builds one IR node with (OnnxBuilder): its ONNX nodes and initializers go
 * to the model's lists. One object per graph, pointed at each node in turn (`at`).
 */
class NodeLowering implements OnnxBuilder {
  private n!: IrNode;
  private out = '';
  private doc: string | undefined;
  done = false;

  constructor(
    readonly opset: number,
    private readonly resolve: (v: string) => string,
    private readonly nodes: OnnxNode[],
    private readonly initializers: LazyOnnxTensor[],
  ) {}

  at(n: IrNode, out: string, doc: string | undefined): this {
    this.n = n;
    this.out = out;
    this.doc = doc;
    this.done = false;
    return this;
  }

  input(i: number): string {
    return this.resolve(this.n.inputs[i]!);
  }

  param(role: string): string {
    return this.n.params[role]!;
  }

  constant(suffix: string, dataType: 'int64' | 'float32', dims: number[], values: number[]): string {
    const name = `${this.n.name}.${suffix}`;
    const data = dataType === 'int64' ? BigInt64Array.from(values.map(BigInt)) : Float32Array.from(values);
    this.initializers.push({ name, dims, dataType, data });
    return name;
  }

  node(suffix: string, opType: string, inputs: string[], attrs: Record<string, OnnxAttrValue> = {}): string {
    const name = `${this.n.name}.${suffix}`;
    this.nodes.push(onnxNode(name, opType, inputs, attrs, this.doc));
    return name;
  }

  output(opType: string, inputs: string[], attrs: Record<string, OnnxAttrValue> = {}): void {
    this.nodes.push(onnxNode(this.out, opType, inputs, attrs, this.doc));
    this.done = true;
  }
}

/** Lowers one IR node through its op's definition: its initializers, then the nodes it emits. */
function lowerNode(g: IrGraph, n: IrNode, b: NodeLowering, initializers: LazyOnnxTensor[]): void {
  const def = opDef(n.op);
  const full = n.attrs;
  const inTypes = n.inputs.map((i) => g.types.get(i)!);
  if (!def.onnx) throw new Error(`internal: ${n.op} node ${n.name} reached ONNX lowering, which it has no form in`);
  // every parameter tensor, in the op's order, whether or not the lowering reads it
  for (const p of def.params(full, inTypes)) {
    const t = g.params.get(n.params[p.role]!)!;
    if (t.data) initializers.push({ name: t.name, dims: [...t.shape], dataType: 'float32', data: t.data });
    else if (t.produce) initializers.push({ name: t.name, dims: [...t.shape], dataType: 'float32', produce: t.produce });
    else throw new Error(`internal: parameter ${t.name} has no data at ONNX lowering`);
  }
  def.onnx.lower(b, full, inTypes);
  if (!b.done) throw new Error(`internal: the lowering of ${n.op} emitted no output node for ${n.name}`);
}

/** The graph as an ONNX model with every initializer's data in memory (made now where the IR makes it on demand). */
export function lowerGraph(g: IrGraph, opts: LowerOptions): OnnxModel {
  return materializeModel(lowerGraphLazy(g, opts));
}

/**
 * The graph as an ONNX model whose initializers keep the IR's form: held data, or values made on
 * demand (seeded or folded weights), which streamModel (write.ts) makes one at a time as it writes.
 */
export function lowerGraphLazy(g: IrGraph, opts: LowerOptions): LazyOnnxModel {
  const opset = opts.opset ?? defaultOpset;
  // A layer whose tensor is named after the layer itself (ConvNeXt's layer scale) gives its value
  // another name: initializers and values share ONNX's one namespace.
  const tensorNames = new Set(g.nodes.flatMap((n) => Object.values(n.params)));
  const valueName = (v: string) => (tensorNames.has(v) ? `${v}.output` : v);
  const alias = new Map<string, string>(); // IR value -> the IR value it is an alias of
  const resolve = (v: string) => valueName(alias.get(v) ?? v);
  const rename = new Map<string, string>(); // ONNX value -> its final name, where they differ
  const ownName = g.nodes.map((n) => valueName(n.name)); // each node's value, by index
  const producers = new Set(ownName);
  const taken = new Set([...g.inputs.map((i) => i.name), ...producers]);
  const nodes: OnnxNode[] = [];
  const initializers: LazyOnnxTensor[] = [];
  // the nodes of one statement (every call of a block) share its span: its location is found once
  const docs = new Map<IrNode['span'], string | undefined>();
  const docOf = (sp: IrNode['span']) => {
    if (!docs.has(sp)) docs.set(sp, docString(sp, opts.sources));
    return docs.get(sp);
  };
  const lowering = new NodeLowering(opset, resolve, nodes, initializers);
  g.nodes.forEach((n, i) => {
    if (opDef(n.op).inferenceIdentity) alias.set(n.name, alias.get(n.inputs[0]!) ?? n.inputs[0]!);
    else lowerNode(g, n, lowering.at(n, ownName[i]!, docOf(n.span)), initializers);
  });
  // Graph outputs take the DSL's output names. A layer whose own name an output takes (and which is
  // not that output) gets a fresh value name, so that no name is defined twice.
  const outputNames = new Set(g.outputs.map((o) => o.name));
  const fresh = (base: string): string => {
    let k = 1;
    while (taken.has(`${base}.${k}`) || outputNames.has(`${base}.${k}`)) k++;
    taken.add(`${base}.${k}`);
    return `${base}.${k}`;
  };
  g.nodes.forEach((n, i) => {
    const own = g.outputs.find((o) => o.name === n.name);
    const v = ownName[i]!;
    if (outputNames.has(v) && !alias.has(n.name) && (!own || resolve(own.value) !== v)) rename.set(v, fresh(v));
  });
  const named = new Set<string>();
  const outputs: OnnxValueInfo[] = [];
  for (const o of g.outputs) {
    const v = resolve(o.value);
    if (producers.has(v) && !named.has(v)) {
      rename.set(v, o.name);
      named.add(v);
    } else {
      nodes.push({ name: `${o.name}.identity`, opType: 'Identity', domain: '', inputs: [v], outputs: [o.name], attrs: {} });
    }
    outputs.push(valueInfo(o.name, g.types.get(o.value)!));
  }
  const final = (v: string) => rename.get(v) ?? v;
  // only the few nodes that read or write a renamed value change (rename holds the outputs' values)
  const renamed = (vs: readonly string[]) => vs.some((v) => rename.has(v));
  if (rename.size > 0)
    for (const n of nodes) {
      if (renamed(n.inputs)) n.inputs = n.inputs.map(final);
      if (renamed(n.outputs)) n.outputs = n.outputs.map(final);
    }
  const outNames = new Set(outputs.map((o) => o.name));
  const valueInfos: OnnxValueInfo[] = [];
  g.nodes.forEach((n, i) => {
    const v = final(ownName[i]!);
    if (!alias.has(n.name) && !outNames.has(v)) valueInfos.push(valueInfo(v, g.types.get(n.name)!));
  });
  return {
    irVersion: irVersionFor(opset),
    opsetVersion: opset,
    producerName: 'resdsl',
    producerVersion: opts.producerVersion,
    graphName: g.name,
    metadata: opts.metadata ?? {},
    inputs: g.inputs.map((i) => valueInfo(i.name, i.type)),
    outputs,
    valueInfo: valueInfos,
    nodes,
    initializers,
  };
}

function docString(sp: { file: string; start: number }, sources: Sources | undefined): string | undefined {
  const text = sources?.get(sp.file);
  if (text === undefined) return undefined;
  const p = positionOf(text, sp.start);
  return `${sp.file}:${p.line}:${p.col}`;
}
