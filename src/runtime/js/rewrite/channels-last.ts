/**
 * Channels-last regions run in NCHW. ConvNeXt (and LayerNorm over channels in general) is written
 * as Transpose(0,2,3,1), ops on the channels-last tensor, Transpose(0,3,1,2). When every op in
 * between has an NCHW equivalent, the region is rewritten and both transposes disappear:
 *
 *   LayerNormalization over the last axis      -> the same node over the channel axis (PlanNode.channelsFirst)
 *   MatMul(x, W[Cin, Cout]) (constant W)        -> Conv 1x1 with weights W read as [Cout, Cin, 1, 1]
 *   MatMul(x, Transpose(W[Cout, Cin]))          -> Conv 1x1 with weights W as [Cout, Cin, 1, 1] (our
 *                                                 lowering; plan.ts leaves such transposes unfolded)
 *   Add/Sub/Mul/Div with a constant [C] or scalar -> the same with the constant as [C, 1, 1]
 *   the same of two region values, elementwise activations -> unchanged
 *
 * A region must be closed: its values are read only inside it or by a closing Transpose, are not
 * graph outputs, and its other inputs are constants. Anything else leaves the model as it is.
 */
import type { OnnxNode, OnnxTensor } from '../../../onnx/model.js';
import { Attrs } from '../attrs.js';
import type { PlanNode } from '../fuse.js';
import type { Names } from './names.js';

const unary = new Set(['Relu', 'Sigmoid', 'Tanh', 'Erf', 'Sqrt', 'Exp', 'Neg', 'HardSwish', 'HardSigmoid', 'Gelu', 'Clip', 'Identity']);
const binary = new Set(['Add', 'Sub', 'Mul', 'Div']);

function isTranspose(n: OnnxNode, perm: readonly number[]): boolean {
  const a = new Attrs(n, '');
  return n.opType === 'Transpose' && n.domain === '' && a.names.length === 1 && a.ints('perm', []).join() === perm.join();
}

/** Transpose with perm [1, 0] (or none, which is the same for a matrix): a linear layer's W^T. */
export function isWeightTranspose(n: OnnxNode): boolean {
  return isTranspose(n, [1, 0]) || (n.opType === 'Transpose' && n.domain === '' && new Attrs(n, '').names.length === 0);
}

interface Region {
  /** List positions of the region's nodes. */
  members: Set<number>;
  /** List positions of the closing transposes. */
  exits: Set<number>;
}

interface Context {
  list: readonly PlanNode[];
  readers: Map<string, number[]>;
  constants: Map<string, OnnxTensor>;
  outputs: ReadonlySet<string>;
  /** Values W^T computed by an unfolded Transpose of a constant matrix W, with W's name. */
  transposed: Map<string, string>;
}

/** The constant matrix a MatMul's weights come from, and whether they are it read transposed. */
function matmulWeights(c: Context, v: string): { w: string; matmul: 'transposed' | 'direct' } | undefined {
  const t = c.constants.get(v);
  if (t !== undefined) return t.dataType === 'float32' && t.dims.length === 2 ? { w: v, matmul: 'transposed' } : undefined;
  const w = c.transposed.get(v);
  return w === undefined ? undefined : { w, matmul: 'direct' };
}

/** Whether node n, reading region value v (and perhaps others), has an NCHW form. */
function convertible(c: Context, n: OnnxNode, inRegion: (v: string) => boolean): boolean {
  if (n.domain !== '' || n.outputs.length !== 1) return false;
  const constOrRegion = (v: string) => v === '' || inRegion(v) || c.constants.has(v) || c.transposed.has(v);
  if (!n.inputs.every(constOrRegion) || !inRegion(n.inputs[0]!) && !binary.has(n.opType)) return false;
  if (unary.has(n.opType)) return n.inputs.slice(1).every((v) => v === '' || c.constants.has(v));
  if (n.opType === 'LayerNormalization') {
    const a = new Attrs(n, '');
    const axis = a.int('axis', -1);
    return (axis === -1 || axis === 3) && a.names.every((k) => k === 'axis' || k === 'epsilon') && n.inputs.slice(1).every((v) => v === '' || c.constants.has(v));
  }
  if (n.opType === 'MatMul') return inRegion(n.inputs[0]!) && matmulWeights(c, n.inputs[1] ?? '') !== undefined;
  if (binary.has(n.opType) && n.inputs.length === 2 && new Attrs(n, '').names.length === 0) {
    return n.inputs.every((v) => inRegion(v) || lastAxisConstant(c.constants.get(v)));
  }
  return false;
}

/** A constant that broadcasts along the last axis only: a scalar, [C] or [1, ..., 1, C]. */
function lastAxisConstant(t: OnnxTensor | undefined): boolean {
  return t !== undefined && t.dataType === 'float32' && t.dims.slice(0, -1).every((d) => d === 1) && t.dims.length <= 4;
}

/** The region starting at transpose t, or undefined when it is not closed or not convertible. */
function regionFrom(c: Context, t: number): Region | undefined {
  const members = new Set<number>();
  const exits = new Set<number>();
  const values = new Set([c.list[t]!.node.outputs[0]!]);
  const queue = [...values];
  while (queue.length > 0) {
    const v = queue.shift()!;
    if (c.outputs.has(v)) return undefined;
    for (const r of c.readers.get(v) ?? []) {
      const n = c.list[r]!.node;
      if (isTranspose(n, [0, 3, 1, 2])) {
        if (n.inputs[0] !== v) return undefined;
        exits.add(r);
        continue;
      }
      if (members.has(r)) continue;
      // Inputs not reached yet may still join the region: only constants are known not to.
      if (!convertible(c, n, (x) => values.has(x) || !c.constants.has(x))) return undefined;
      members.add(r);
      for (const o of n.outputs) {
        values.add(o);
        queue.push(o);
      }
    }
  }
  // With the region's values known, every member's inputs are region values or constants.
  for (const m of members) if (!convertible(c, c.list[m]!.node, (x) => values.has(x))) return undefined;
  return exits.size > 0 ? { members, exits } : undefined;
}

/** The NCHW form of one region node, adding the constants it needs. */
function convert(p: PlanNode, c: Context, names: Names, inRegion: (v: string) => boolean): PlanNode {
  const n = p.node;
  if (n.opType === 'LayerNormalization') return { ...p, channelsFirst: true };
  if (n.opType === 'MatMul') {
    const { w, matmul } = matmulWeights(c, n.inputs[1]!)!;
    return { ...p, node: { ...n, opType: 'Conv', inputs: [n.inputs[0]!, w], attrs: {} }, matmulWeights: matmul };
  }
  if (binary.has(n.opType)) {
    const inputs = n.inputs.map((v) => {
      const t = c.constants.get(v);
      if (inRegion(v) || t === undefined || t.data.length === 1) return v;
      const name = names.fresh(v);
      c.constants.set(name, { ...t, name, dims: [t.data.length, 1, 1] });
      return name;
    });
    return { ...p, node: { ...n, inputs } };
  }
  return p;
}

/** The list with every convertible channels-last region rewritten to NCHW. */
export function channelsFirst(list: readonly PlanNode[], constants: Map<string, OnnxTensor>, outputs: ReadonlySet<string>, names: Names): PlanNode[] {
  const readers = new Map<string, number[]>();
  list.forEach((p, i) => {
    for (const v of new Set(p.node.inputs)) if (v !== '') readers.set(v, [...(readers.get(v) ?? []), i]);
  });
  const transposed = new Map<string, string>();
  for (const p of list) {
    const w = constants.get(p.node.inputs[0] ?? '');
    if (isWeightTranspose(p.node) && w?.dims.length === 2 && w.dataType === 'float32') transposed.set(p.node.outputs[0]!, p.node.inputs[0]!);
  }
  const c: Context = { list, readers, constants, outputs, transposed };
  const result = [...list];
  const alias = new Map<string, string>();
  const dropped = new Set<number>();
  list.forEach((p, t) => {
    if (!isTranspose(p.node, [0, 2, 3, 1]) || dropped.has(t)) return;
    const region = regionFrom(c, t);
    if (region === undefined) return;
    const values = new Set<string>([p.node.outputs[0]!]);
    for (const m of region.members) for (const o of list[m]!.node.outputs) values.add(o);
    alias.set(p.node.outputs[0]!, p.node.inputs[0]!);
    dropped.add(t);
    for (const m of region.members) result[m] = convert(list[m]!, c, names, (v) => values.has(v));
    for (const e of region.exits) {
      const exit = list[e]!.node;
      if (outputs.has(exit.outputs[0]!)) result[e] = { ...list[e]!, node: { ...exit, opType: 'Identity', attrs: {} } };
      else {
        alias.set(exit.outputs[0]!, exit.inputs[0]!);
        dropped.add(e);
      }
    }
  });
  const resolve = (v: string): string => (alias.has(v) ? resolve(alias.get(v)!) : v);
  const rewritten = result.flatMap((p, i) => {
    if (dropped.has(i)) return [];
    const inputs = p.node.inputs.map(resolve);
    return [inputs.some((v, k) => v !== p.node.inputs[k]) ? { ...p, node: { ...p.node, inputs } } : p];
  });
  // Transposes of weights that every converted MatMul now reads directly.
  const read = new Set(rewritten.flatMap((p) => p.node.inputs));
  return rewritten.filter((p) => !transposed.has(p.node.outputs[0] ?? '') || read.has(p.node.outputs[0]!) || outputs.has(p.node.outputs[0]!));
}
