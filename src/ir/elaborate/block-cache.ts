/**
 * Reusing block expansions. A block's expansion depends only on the block, the values its
 * parameters are bound to and the type of its input (a block body sees only its parameters and
 * the declarations of its file: no names or labels of the network it is in), so a network that
 * calls `res(16)` ten thousand times on the same input type need elaborate it once: the later
 * calls copy the recorded nodes under their own name prefix, with their own input and call site. What a copy gets is exactly what elaborating again
 * would give (test/elaborate/block-cache.test.ts compares whole graphs with reuse off).
 *
 * An expansion is recorded only when it is clean (no diagnostic reported while it ran, its output
 * not poisoned) and self-contained (every node, name and module under the call's prefix, every
 * input read from inside or from the call's input). A copy is made only where it cannot hit a limit
 * or a taken name; otherwise the call is elaborated as usual, which reports what is wrong.
 */
import type { Span } from '../../diagnostics/span.js';
import { limits } from '../../limits.js';
import type { BlockDecl } from '../../parser/ast.js';
import type { IrNode, ParamTensor, TensorType } from '../types.js';
import type { Cursor, GraphBuilder } from './context.js';
import type { Value } from './values.js';

/** One recorded node, its names as suffixes of the call's prefix (`.conv1`), made once for every copy. */
interface RecordedNode {
  node: IrNode;
  name: string;
  type: TensorType;
  /** Each input: the call's input (undefined), or a value inside, by its suffix. */
  inputs: (string | undefined)[];
  /** Role and suffix of each tensor, in order, with the recorded tensor. */
  params: { role: string; name: string; tensor: ParamTensor }[];
  /** The call sites inside the block (innermost first), before the call's own; undefined for none. */
  inner: readonly Span[] | undefined;
}

/** One recorded expansion, with names relative to its prefix. */
export interface Recorded {
  /** The call stack's depth inside the call (the call itself included) when it was recorded. */
  depth: number;
  /** How much deeper than `depth` the calls inside it went. */
  innerDepth: number;
  nodes: RecordedNode[];
  paramCount: number;
  claims: [string, Span][];
  modules: [string, string][];
  /** The result: the call's input (value undefined) or a value inside, by its suffix. */
  result: { value: string | undefined; type: TensorType; origin: Span };
}

/** Recorded expansions of one network, by block and key. */
export type ExpansionCache = Map<BlockDecl, Map<string, Recorded>>;

const declIds = new WeakMap<object, number>();
let nextDeclId = 0;
function declId(d: object): number {
  let id = declIds.get(d);
  if (id === undefined) declIds.set(d, (id = nextDeclId++));
  return id;
}

/** A value as part of a key (blocks by declaration, with their bound arguments). Reals keep -0 apart from 0. */
function valueKey(v: Value): string {
  switch (v.kind) {
    case 'int':
      return `i${v.v}`;
    case 'real':
      return Object.is(v.v, -0) ? 'r-0' : `r${v.v}`;
    case 'bool':
      return v.v ? 'T' : 'F';
    case 'policy':
      return `p${v.v}`;
    case 'layer':
      return `l${v.name}(${boundKey(v.bound)})`;
    case 'block':
      return `b${declId(v.ref.decl)}(${boundKey(v.bound)})`;
  }
}

function boundKey(bound: readonly { name?: string; value: Value }[]): string {
  return bound.map((a) => `${a.name ?? ''}=${valueKey(a.value)}`).join(',');
}

/** The key of a call: its bound parameters and its input type. */
export function expansionKey(vars: ReadonlyMap<string, Value>, input: TensorType): string {
  let key = `${input.dtype}[${input.shape.join(',')}]`;
  for (const [name, v] of vars) key += `;${name}=${valueKey(v)}`;
  return key;
}

/** Where a recording starts: the builder's state before the call's body is elaborated. */
export interface RecordStart {
  nodes: number;
  paramCount: number;
  reports: number;
  claims: number;
  modules: number;
  deepest: number;
}

export function startRecording(b: GraphBuilder): RecordStart {
  const start = { nodes: b.nodes.length, paramCount: b.paramCount, reports: b.reports, claims: b.claimLog.length, modules: b.moduleLog.length, deepest: b.deepest };
  b.deepest = b.callStack.length;
  b.recording++;
  return start;
}

const under = (prefix: string) => {
  const p = `${prefix}.`;
  return (name: string) => name.startsWith(p);
};

/**
 * Ends a recording (call it whether the body succeeded or not, in the call stack's state inside the
 * call): the expansion, when it can be reused.
 */
export function finishRecording(b: GraphBuilder, start: RecordStart, prefix: string, input: Cursor, result: Cursor | undefined): Recorded | undefined {
  const depth = b.callStack.length;
  const innerDepth = b.deepest - depth;
  b.deepest = Math.max(start.deepest, b.deepest);
  b.recording--;
  const claims = b.claimLog.slice(start.claims);
  const modules = b.moduleLog.slice(start.modules);
  if (b.recording === 0) {
    b.claimLog.length = 0;
    b.moduleLog.length = 0;
  }
  if (!result || result.poisoned || b.reports !== start.reports) return undefined;
  const inside = under(prefix);
  const nodes = b.nodes.slice(start.nodes);
  const outside = (v: string) => v !== input.value && !inside(v);
  if (nodes.some((n) => !inside(n.name) || n.inputs.some(outside))) return undefined;
  if (claims.some(([c]) => !inside(c)) || modules.some(([m]) => !inside(m)) || outside(result.value)) return undefined;
  const cut = prefix.length;
  const suffix = (v: string) => (v === input.value ? undefined : v.slice(cut));
  const inner = new Map<readonly Span[], readonly Span[] | undefined>();
  const innerOf = (e: readonly Span[]) => {
    if (!inner.has(e)) inner.set(e, e.length === depth ? undefined : e.slice(0, e.length - depth));
    return inner.get(e);
  };
  return {
    depth,
    innerDepth,
    nodes: nodes.map((n) => ({
      node: n,
      name: n.name.slice(cut),
      type: b.types.get(n.name)!,
      inputs: n.inputs.map(suffix),
      params: Object.entries(n.params).map(([role, p]) => ({ role, name: p.slice(cut), tensor: b.params.get(p)! })),
      inner: innerOf(n.expansion),
    })),
    paramCount: b.paramCount - start.paramCount,
    claims: claims.map(([c, at]) => [c.slice(cut), at]),
    modules: modules.map(([m, what]) => [m.slice(cut), what]),
    result: { value: suffix(result.value), type: result.type, origin: result.origin },
  };
}

/**
 * Copies a recorded expansion under `prefix`, reading `input`, with the call stack as it is inside
 * the new call; undefined (nothing changed) where a copy could hit a limit or a taken name.
 */
export function replay(b: GraphBuilder, r: Recorded, prefix: string, input: Cursor): Cursor | undefined {
  const depth = b.callStack.length;
  if (depth + r.innerDepth > limits.maxCallDepth) return undefined;
  if (b.nodes.length + r.nodes.length > limits.maxNodes || b.paramCount + r.paramCount > limits.maxParams) return undefined;
  const claims = r.claims.map(([c, at]): [string, Span] => [prefix + c, at]);
  for (const [c] of claims) if (b.isClaimed(c)) return undefined;
  b.deepest = Math.max(b.deepest, depth + r.innerDepth);
  for (const [m, what] of r.modules) b.setModule(prefix + m, what);
  for (const [c, at] of claims) b.setClaim(c, at);
  // the call sites of a node: those inside the block as recorded, then this call's
  const here = b.expansion();
  const expansions = new Map<readonly Span[], readonly Span[]>();
  const expansionOf = (inner: readonly Span[] | undefined) => {
    if (inner === undefined) return here;
    let out = expansions.get(inner);
    if (out === undefined) expansions.set(inner, (out = [...inner, ...here]));
    return out;
  };
  for (const rn of r.nodes) {
    const n = rn.node;
    const name = prefix + rn.name;
    const params: Record<string, string> = {};
    for (const p of rn.params) {
      const pname = prefix + p.name;
      b.params.set(pname, { name: pname, shape: p.tensor.shape, trainable: p.tensor.trainable, init: p.tensor.init });
      params[p.role] = pname;
    }
    const inputs = rn.inputs.map((v) => (v === undefined ? input.value : prefix + v));
    b.nodes.push({ name, op: n.op, inputs, attrs: n.attrs, params, span: n.span, expansion: expansionOf(rn.inner) });
    b.types.set(name, rn.type);
  }
  b.paramCount += r.paramCount;
  const v = r.result.value;
  return { value: v === undefined ? input.value : prefix + v, type: r.result.type, origin: r.result.origin };
}
