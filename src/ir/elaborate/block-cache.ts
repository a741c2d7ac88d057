/**
 * Reusing block expansions. A block's expansion depends only on the block, the values its
 * parameters are bound to and the type of its input (a block body sees nothing else: no outer
 * names, no network labels), so a network that calls `res(16)` ten thousand times on the same
 * input type need elaborate it once: the later calls copy the recorded nodes under their own name
 * prefix, with their own input and call site. What a copy gets is exactly what elaborating again
 * would give (test/ir/block-cache.test.ts compares whole graphs with the cache off).
 *
 * An expansion is recorded only when it is clean (no diagnostic reported while it ran, its output
 * not poisoned) and self-contained (every node, name and module under the call's prefix, every
 * input read from inside or from the call's input). A copy is made only where it cannot hit a limit
 * or a taken name; otherwise the call is elaborated as usual, which reports what is wrong.
 */
import type { Span } from '../../diagnostics/span.js';
import { limits } from '../../limits.js';
import type { BlockDecl, NetworkDecl } from '../../parser/ast.js';
import type { IrNode, ParamTensor, TensorType } from '../types.js';
import type { Cursor, GraphBuilder } from './context.js';
import type { Value } from './values.js';

/** One recorded expansion, with names relative to its prefix. */
export interface Recorded {
  prefix: string;
  /** The value the expansion read as its input. */
  input: string;
  /** The call stack's depth inside the call (the call itself included) when it was recorded. */
  depth: number;
  /** How much deeper than `depth` the calls inside it went. */
  innerDepth: number;
  nodes: IrNode[];
  types: TensorType[];
  params: ParamTensor[];
  paramCount: number;
  claims: [string, Span][];
  modules: [string, string][];
  result: Cursor;
}

/** Recorded expansions of one network, by block and key. */
export type ExpansionCache = Map<BlockDecl | NetworkDecl, Map<string, Recorded>>;

const declIds = new WeakMap<object, number>();
let nextDeclId = 0;
function declId(d: object): number {
  let id = declIds.get(d);
  if (id === undefined) declIds.set(d, (id = nextDeclId++));
  return id;
}

/** A value as a key; undefined for none (every kind has one). Reals keep -0 apart from 0. */
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
  const params: ParamTensor[] = [];
  for (const n of nodes) for (const p of Object.values(n.params)) params.push(b.params.get(p)!);
  return { prefix, input: input.value, depth, innerDepth, nodes, types: nodes.map((n) => b.types.get(n.name)!), params, paramCount: b.paramCount - start.paramCount, claims, modules, result };
}

/**
 * Copies a recorded expansion under `prefix`, reading `input`, with the call stack as it is inside
 * the new call; undefined (nothing changed) where a copy could hit a limit or a taken name.
 */
export function replay(b: GraphBuilder, r: Recorded, prefix: string, input: Cursor): Cursor | undefined {
  const depth = b.callStack.length;
  if (depth + r.innerDepth > limits.maxCallDepth) return undefined;
  if (b.nodes.length + r.nodes.length > limits.maxNodes || b.paramCount + r.paramCount > limits.maxParams) return undefined;
  const cut = r.prefix.length;
  const rename = (name: string) => prefix + name.slice(cut);
  for (const [c] of r.claims) if (b.isClaimed(rename(c))) return undefined;
  b.deepest = Math.max(b.deepest, depth + r.innerDepth);
  for (const [m, what] of r.modules) b.setModule(rename(m), what);
  for (const [c, at] of r.claims) b.setClaim(rename(c), at);
  // the call sites of a node: those inside the block as recorded, then this call's
  const here = b.expansion();
  const expansions = new Map<readonly Span[], readonly Span[]>();
  const expansionOf = (e: readonly Span[]) => {
    let out = expansions.get(e);
    if (out === undefined) expansions.set(e, (out = e.length === r.depth ? here : [...e.slice(0, e.length - r.depth), ...here]));
    return out;
  };
  const read = (v: string) => (v === r.input ? input.value : rename(v));
  let p = 0;
  for (let i = 0; i < r.nodes.length; i++) {
    const n = r.nodes[i]!;
    const name = rename(n.name);
    const params: Record<string, string> = {};
    for (const role in n.params) {
      const t = r.params[p++]!;
      const pname = rename(t.name);
      b.params.set(pname, { name: pname, shape: t.shape, trainable: t.trainable, init: t.init });
      params[role] = pname;
    }
    b.nodes.push({ name, op: n.op, inputs: n.inputs.map(read), attrs: n.attrs, params, span: n.span, expansion: expansionOf(n.expansion) });
    b.types.set(name, r.types[i]!);
  }
  b.paramCount += r.paramCount;
  return { value: read(r.result.value), type: r.result.type, origin: r.result.origin };
}
