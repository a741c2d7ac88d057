/**
 * The activation patterns fusion recognizes after a Conv, as ONNX files spell them: single nodes
 * (Relu, Clip with constant bounds, HardSwish, HardSigmoid, Sigmoid, Gelu) and the decompositions
 * exporters write, SiLU as x * Sigmoid(x) and PyTorch's exact GELU as
 * Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5). Every intermediate value must be read by the
 * pattern alone and not be a graph output; constants must be scalars of the expected value.
 */
import type { OnnxNode, OnnxTensor } from '../../onnx/model.js';
import { Act, activation, type Activation } from './activation.js';
import { Attrs } from './attrs.js';

export interface Graph {
  nodes: readonly OnnxNode[];
  readers: Map<string, number[]>;
  producer: Map<string, number>;
  outputs: Set<string>;
  constants: Map<string, OnnxTensor>;
  opset: number;
}

export interface Match {
  act: Activation;
  /** Indices of the nodes the pattern replaces. */
  nodes: number[];
  /** The value the pattern computes. */
  out: string;
}

/** Readers of `value` not yet taken by fusion; undefined when it is a graph output. */
export function liveReaders(g: Graph, value: string, removed: Set<number>): number[] | undefined {
  if (g.outputs.has(value)) return undefined;
  return (g.readers.get(value) ?? []).filter((r) => !removed.has(r));
}

/** The node reading `value` when it is the only reader and the value is not a graph output. */
export function soleReader(g: Graph, value: string, removed: Set<number>): number | undefined {
  const r = liveReaders(g, value, removed);
  return r?.length === 1 && (g.readers.get(value) ?? []).length === 1 ? r[0] : undefined;
}

/** The value of a constant float scalar (dims [] or [1]). */
export function scalar(g: Graph, name: string | undefined): number | undefined {
  const t = name === undefined ? undefined : g.constants.get(name);
  if (t === undefined || t.dataType !== 'float32' || t.data.length !== 1 || t.dims.length > 1) return undefined;
  return (t.data as Float32Array)[0];
}

/** A node of the default domain with no attributes but the listed ones. */
export function plain(n: OnnxNode, op: string, attrs: readonly string[] = []): boolean {
  const names = Object.keys(n.attrs);
  return n.opType === op && n.domain === '' && n.unreadAttrs === undefined && names.every((a) => attrs.includes(a)) && Object.getPrototypeOf(n.attrs) === Object.prototype;
}

const near = (x: number | undefined, want: number) => x !== undefined && Math.abs(x - want) <= 1e-6 * Math.abs(want);

/** The other input of a two-input node reading `value`, when `value` is one of them. */
function other(n: OnnxNode, value: string): string | undefined {
  if (n.inputs.length !== 2 || n.inputs[0] === n.inputs[1]) return undefined;
  if (n.inputs[0] === value) return n.inputs[1];
  return n.inputs[1] === value ? n.inputs[0] : undefined;
}

function single(g: Graph, n: OnnxNode): Activation | undefined {
  const attrs = new Attrs(n, '');
  if (plain(n, 'Relu')) return activation(Act.relu);
  if (plain(n, 'HardSwish')) return activation(Act.hardSwish);
  if (plain(n, 'Sigmoid')) return activation(Act.sigmoid);
  if (plain(n, 'HardSigmoid', ['alpha', 'beta'])) return activation(Act.hardSigmoid, attrs.float('alpha', 0.2), attrs.float('beta', 0.5));
  if (plain(n, 'Gelu', ['approximate'])) {
    const how = attrs.string('approximate', 'none');
    return how === 'none' ? activation(Act.gelu) : how === 'tanh' ? activation(Act.geluTanh) : undefined;
  }
  if (plain(n, 'Clip') && g.opset >= 11) {
    const [lo, hi] = [1, 2].map((i) => ((n.inputs[i] ?? '') === '' ? (i === 1 ? -Infinity : Infinity) : scalar(g, n.inputs[i])));
    return lo !== undefined && hi !== undefined ? activation(Act.clip, lo, hi) : undefined;
  }
  if (plain(n, 'Clip', ['min', 'max']) && g.opset >= 6) return activation(Act.clip, attrs.float('min', -Infinity), attrs.float('max', Infinity));
  return undefined;
}

/** x * Sigmoid(x): readers of x are the Sigmoid and the Mul. */
function silu(g: Graph, x: string, rs: number[], removed: Set<number>): Match | undefined {
  const s = rs.find((i) => plain(g.nodes[i]!, 'Sigmoid'));
  const m = rs.find((i) => plain(g.nodes[i]!, 'Mul'));
  if (s === undefined || m === undefined) return undefined;
  const sig = g.nodes[s]!.outputs[0]!;
  if (other(g.nodes[m]!, x) !== sig || soleReader(g, sig, removed) !== m) return undefined;
  return { act: activation(Act.silu), nodes: [s, m], out: g.nodes[m]!.outputs[0]! };
}

/** PyTorch's GELU: readers of x are Div(x, sqrt 2) (or Mul(x, 1/sqrt 2)) and the outer Mul. */
function gelu(g: Graph, x: string, rs: number[], removed: Set<number>): Match | undefined {
  const d = rs.find((i) => (plain(g.nodes[i]!, 'Div') && g.nodes[i]!.inputs[0] === x && near(scalar(g, g.nodes[i]!.inputs[1]), Math.SQRT2))
    || (plain(g.nodes[i]!, 'Mul') && near(scalar(g, other(g.nodes[i]!, x)), Math.SQRT1_2)));
  if (d === undefined) return undefined;
  const e = soleReader(g, g.nodes[d]!.outputs[0]!, removed);
  if (e === undefined || !plain(g.nodes[e]!, 'Erf')) return undefined;
  const erfOut = g.nodes[e]!.outputs[0]!;
  const a = soleReader(g, erfOut, removed);
  if (a === undefined || !plain(g.nodes[a]!, 'Add') || !near(scalar(g, other(g.nodes[a]!, erfOut)), 1)) return undefined;
  const onePlus = g.nodes[a]!.outputs[0]!;
  const m1 = soleReader(g, onePlus, removed);
  if (m1 === undefined || m1 === d || !rs.includes(m1) || !plain(g.nodes[m1]!, 'Mul') || other(g.nodes[m1]!, onePlus) !== x) return undefined;
  const product = g.nodes[m1]!.outputs[0]!;
  const m2 = soleReader(g, product, removed);
  if (m2 === undefined || !plain(g.nodes[m2]!, 'Mul') || !near(scalar(g, other(g.nodes[m2]!, product)), 0.5)) return undefined;
  return { act: activation(Act.gelu), nodes: [d, e, a, m1, m2], out: g.nodes[m2]!.outputs[0]! };
}

/** The activation computed from `x` by the nodes reading it, if they form one of the patterns. */
export function matchActivation(g: Graph, x: string, removed: Set<number>): Match | undefined {
  const rs = liveReaders(g, x, removed);
  if (rs === undefined || rs.length !== (g.readers.get(x) ?? []).length) return undefined;
  if (rs.length === 1) {
    const n = g.nodes[rs[0]!]!;
    const act = n.inputs[0] === x && n.outputs.length === 1 ? single(g, n) : undefined;
    if (act) return { act, nodes: [rs[0]!], out: n.outputs[0]! };
  }
  if (rs.length === 2) return silu(g, x, rs, removed) ?? gelu(g, x, rs, removed);
  return undefined;
}
