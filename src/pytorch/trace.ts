/**
 * The trace of a network: for every use of a block (an instance), its body as written, walked with
 * that use's parameters, each statement matched to the IR nodes it became. The generated classes
 * follow the spec's text (a class per block, its statements in order); the IR is the truth they
 * are checked against: every value the emitted code computes is compared with the traced uses.
 *
 * The walk evaluates what elaboration evaluated, with elaboration's own functions (conditions,
 * labels, repetition counts, argument binding), and finds the nodes by their source span: a layer
 * call's node is the next node of this instance written at that call; a block call's instance the
 * next instance called from that span. It builds no names: names come from the IR.
 */
import type { Span } from '../diagnostics/span.js';
import { Abort } from '../ir/elaborate/abort.js';
import { evalArgs, evalValue, makeEnv, type Ctx, type Env } from '../ir/elaborate/env.js';
import { labelText, present } from '../ir/elaborate/items.js';
import { newCtx } from '../ir/elaborate/network.js';
import { bindParams } from '../ir/elaborate/params.js';
import type { DeclRef, FileScope } from '../ir/elaborate/scope.js';
import { wholeNumber, type BoundArg, type Value } from '../ir/elaborate/values.js';
import { resolveLayerName, type LayerName } from '../ir/ops/index.js';
import type { IrGraph, IrNode } from '../ir/types.js';
import type { Arg, BlockDecl, CallTerm, Combination, Expr, LayerStmt, NetworkDecl, Repeat, Stmt } from '../parser/ast.js';
import { unsupported } from './errors.js';

/** Where an argument of a call came from: an expression of the spec, or a value bound before (partial application). */
export type ArgSource = { readonly expr: Expr } | { readonly value: Value };

/** One use of a block (or the network itself, prefix ''), with its parameters. */
export interface Instance {
  readonly prefix: string;
  readonly ref: DeclRef;
  readonly body: readonly Stmt[];
  readonly env: Env;
  /** The IR values in and out. */
  readonly input: string;
  readonly output: string;
  readonly items: readonly TItem[];
}

/** A statement (an item of a body or path, or an operand) in one use. */
export interface TItem {
  readonly stmt: LayerStmt;
  /** After its condition: the statement, its `else`, or undefined where it is absent. */
  readonly taken: LayerStmt | undefined;
  readonly env: Env;
  readonly input: string;
  readonly output: string;
  readonly term?: TTerm;
}

export type TTerm =
  | { readonly kind: 'layer'; readonly call: CallTerm; readonly use: LayerName; readonly given: ReadonlyMap<string, readonly ArgSource[]>; readonly node: IrNode }
  | { readonly kind: 'block'; readonly call: CallTerm; readonly callee: Value & { kind: 'block' }; readonly given: ReadonlyMap<string, ArgSource>; readonly inst: Instance }
  | { readonly kind: 'path'; readonly items: readonly TItem[] }
  | { readonly kind: 'repeat'; readonly iterations: readonly TIteration[] }
  | { readonly kind: 'combination'; readonly operands: readonly TOperand[]; readonly joins: readonly IrNode[] };

/** One item of a repetition: its index bound in `env`, and the label a template gives it. */
export interface TIteration {
  readonly env: Env;
  readonly label?: string;
  readonly input: string;
  readonly output: string;
  readonly term: TTerm;
}

/**
 * An operand of `+` or `*`: the combination's input itself (`identity`), a shortcut (its
 * unresolved node and what the shortcut pass made of it: no node for the identity), or a term.
 */
export type TOperand =
  | { readonly role: 'absent'; readonly stmt: LayerStmt }
  | { readonly role: 'input'; readonly stmt: LayerStmt }
  | { readonly role: 'shortcut'; readonly stmt: LayerStmt; readonly node: IrNode; readonly resolved: readonly IrNode[]; readonly policy: ArgSource | undefined }
  | { readonly role: 'term'; readonly stmt: LayerStmt; readonly item: TItem };

const key = (s: Span) => `${s.file}:${s.start}:${s.end}`;

/**
 * The graph's nodes, grouped by the block instance they belong to (the longest block prefix of
 * their name) and the span that made them; and each instance's child instances in the order they
 * were called (the insertion order of the graph's `modules`). A node's `expansion` is used only for
 * its innermost call site, to check that a call and the child instance taken for it agree.
 */
class Index {
  private readonly blocks = new Set<string>();
  private readonly nodes = new Map<string, Map<string, IrNode[]>>();
  private readonly children = new Map<string, string[]>();
  /** The innermost call site of an instance with nodes of its own. */
  private readonly callSpan = new Map<string, Span>();
  readonly resolved: ReadonlyMap<string, readonly IrNode[]>;

  constructor(readonly graph: IrGraph, after: IrGraph) {
    for (const [prefix, what] of graph.modules ?? []) {
      if (what === 'sequence') continue;
      this.blocks.add(prefix);
      push2(this.children, this.owner(prefix), prefix);
    }
    for (const n of graph.nodes) {
      const owner = this.owner(n.name);
      push(this.nodes, owner, key(n.span), n);
      if (owner !== '' && !this.callSpan.has(owner) && n.expansion[0]) this.callSpan.set(owner, n.expansion[0]);
    }
    // what the shortcut pass made of each shortcut node: the nodes named under it
    const made = new Map<string, IrNode[]>();
    for (const n of after.nodes) if (n.insertedBy === 'shortcut') push2(made, n.name.slice(0, n.name.lastIndexOf('.')), n);
    this.resolved = made;
  }

  /** The innermost block instance enclosing a name ('' for the network). */
  private owner(name: string): string {
    const parts = name.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const p = parts.slice(0, i).join('.');
      if (this.blocks.has(p)) return p;
    }
    return '';
  }

  takeNode(owner: string, span: Span): IrNode {
    const q = this.nodes.get(owner)?.get(key(span));
    const n = q?.shift();
    if (!n) throw new Error(`internal: no IR node of ${owner || 'the network'} from ${key(span)}`);
    return n;
  }

  takeChild(owner: string, span: Span): string {
    const c = this.children.get(owner)?.shift();
    const at = c === undefined ? undefined : this.callSpan.get(c);
    if (c === undefined || (at !== undefined && key(at) !== key(span))) throw new Error(`internal: no block instance in ${owner || 'the network'} called at ${key(span)}`);
    return c;
  }
}

function push<T>(m: Map<string, Map<string, T[]>>, a: string, b: string, v: T): void {
  let inner = m.get(a);
  if (!inner) m.set(a, (inner = new Map()));
  push2(inner, b, v);
}

function push2<T>(m: Map<string, T[]>, k: string, v: T): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** Named arguments (a call's own, or `with first`'s) override earlier ones, as elaboration merges them. */
function merge<A extends { name?: string | undefined }>(args: readonly A[], extra: readonly A[]): A[] {
  if (extra.length === 0) return [...args];
  const names = new Set(extra.filter((a) => a.name !== undefined).map((a) => a.name));
  return [...args.filter((a) => a.name === undefined || !names.has(a.name)), ...extra];
}

interface Walker {
  readonly ctx: Ctx;
  readonly index: Index;
  readonly scopes: ReadonlyMap<string, FileScope>;
}

/** An unlabelled `identity` operand without arguments (not a variable of that name) is the input itself. */
function isInput(env: Env, op: LayerStmt): boolean {
  return op.term.kind === 'Call' && op.term.callee.name === 'identity' && !op.label && !env.variable('identity') && !op.term.args?.length;
}

function cursor(w: Walker, value: string, span: Span) {
  return { value, type: w.index.graph.types.get(value)!, origin: span };
}

function walkItems(w: Walker, inst: string, env: Env, stmts: readonly LayerStmt[], input: string): TItem[] {
  const out: TItem[] = [];
  let cur = input;
  for (const s of stmts) {
    const item = walkItem(w, inst, env, s, cur);
    out.push(item);
    cur = item.output;
  }
  return out;
}

function walkItem(w: Walker, inst: string, env: Env, stmt: LayerStmt, input: string): TItem {
  const taken = present(w.ctx, env, stmt);
  if (!taken) return { stmt, taken, env, input, output: input };
  const t = taken.term;
  let term: TTerm;
  switch (t.kind) {
    case 'Call':
      term = walkCall(w, inst, env, t, [], input);
      break;
    case 'Path':
      term = { kind: 'path', items: walkItems(w, inst, env, t.items, input) };
      break;
    case 'Repeat':
      term = walkRepeat(w, inst, env, t, taken, input);
      break;
    case 'Combination':
      term = walkCombination(w, inst, env, t, input);
      break;
  }
  return { stmt, taken, env, input, output: outputOf(term, input), term };
}

function outputOf(term: TTerm, input: string): string {
  switch (term.kind) {
    case 'layer':
      return term.node.name;
    case 'block':
      return term.inst.output;
    case 'path':
      return term.items.length ? term.items[term.items.length - 1]!.output : input;
    case 'repeat':
      return term.iterations.length ? term.iterations[term.iterations.length - 1]!.output : input;
    case 'combination': {
      const j = term.joins[term.joins.length - 1];
      if (j) return j.name;
      const main = term.operands.find((o) => o.role !== 'absent');
      return main?.role === 'term' ? main.item.output : input;
    }
  }
}

function walkRepeat(w: Walker, inst: string, env: Env, t: Repeat, stmt: LayerStmt, input: string): TTerm {
  const n = wholeNumber(evalValue(w.ctx, env, t.count)) ?? 0;
  const perItem = stmt.label?.kind === 'Template';
  const iterations: TIteration[] = [];
  let cur = input;
  for (let i = 0; i < n; i++) {
    const itemEnv = t.index ? env.with(t.index.name, { kind: 'int', v: i }) : env;
    const label = perItem ? labelText(w.ctx, itemEnv, stmt.label!) : undefined;
    const first = i === 0 && t.first ? t.first.args : [];
    const term: TTerm =
      t.body.kind === 'Call' ? walkCall(w, inst, itemEnv, t.body, first, cur) : { kind: 'path', items: walkItems(w, inst, itemEnv, t.body.items, cur) };
    const output = outputOf(term, cur);
    iterations.push({ env: itemEnv, ...(label !== undefined ? { label } : {}), input: cur, output, term });
    cur = output;
  }
  return { kind: 'repeat', iterations };
}

/** The value a call's callee names: a variable (a block or layer passed in), a block, or a built-in layer. */
function callee(env: Env, name: string): Value | undefined {
  const v = env.variable(name);
  if (v) return v;
  const d = env.decl(name);
  if (d) return { kind: 'block', ref: d, bound: [] };
  return resolveLayerName(name) ? { kind: 'layer', name, bound: [] } : undefined;
}

function walkCall(w: Walker, inst: string, env: Env, call: CallTerm, first: readonly Arg[], input: string): TTerm {
  const value = callee(env, call.callee.name);
  if (!value || (value.kind !== 'block' && value.kind !== 'layer')) throw new Error(`internal: ${call.callee.name} is not a layer or block`);
  const asSource = (args: readonly Arg[]) => args.map((a) => ({ name: a.name?.name, source: { expr: a.value } as ArgSource }));
  const written = merge(asSource(call.args ?? []), asSource(first));
  const bound = value.bound.map((b) => ({ name: b.name, source: { value: b.value } as ArgSource }));
  if (value.kind === 'layer') {
    const use = resolveLayerName(value.name)!;
    const node = w.index.takeNode(inst, call.span);
    return { kind: 'layer', call, use, given: layerSources(use, merge(bound, written)), node };
  }
  const args: BoundArg[] = merge(evalArgs(w.ctx, env, call.args ?? []), evalArgs(w.ctx, env, first));
  const all = [...value.bound, ...args];
  const prefix = w.index.takeChild(inst, call.span);
  const vars = bindParams(w.ctx, value.ref, all, call.span, cursor(w, input, call.span));
  const child = walkInstance(w, prefix, value.ref, makeEnv(vars, w.scopes.get(value.ref.file.absPath)!), value.ref.decl.body, input);
  const given = blockSources(value.ref.decl as BlockDecl, [...bound, ...written], w.index.graph.types.get(input)?.shape[1] !== undefined);
  return { kind: 'block', call, callee: value as Value & { kind: 'block' }, given, inst: child };
}

/** Which argument of a layer each written one is, as elaboration matches them (layer-args.ts). */
function layerSources(use: LayerName, args: readonly { name: string | undefined; source: ArgSource }[]): Map<string, ArgSource[]> {
  const fixed = use.size !== undefined ? use.form.sizeInName : undefined;
  const decls = use.form.args.filter((d) => d.name !== fixed);
  const positional = decls.filter((d) => d.positional);
  const given = new Map<string, ArgSource[]>();
  let pi = 0;
  for (const a of args) {
    const d = a.name === undefined ? positional[Math.min(pi++, positional.length - 1)] : decls.find((s) => s.name === a.name);
    if (d) given.set(d.name, [...(d.variadic && a.name === undefined ? (given.get(d.name) ?? []) : []), a.source]);
  }
  return given;
}

/** Which parameter of a block each argument binds, as elaboration binds them (params.ts): `in` is skipped when positional ones are too few. */
function blockSources(decl: BlockDecl, args: readonly { name: string | undefined; source: ArgSource }[], incoming: boolean): Map<string, ArgSource> {
  const positional = args.filter((a) => a.name === undefined);
  const required = decl.params.filter((p) => p.default === undefined).length;
  const skipIn = positional.length < required && incoming;
  const slots = decl.params.filter((p) => !(p.name.name === 'in' && skipIn));
  const given = new Map<string, ArgSource>();
  positional.forEach((a, i) => slots[i] && given.set(slots[i]!.name.name, a.source));
  for (const a of args) if (a.name !== undefined) given.set(a.name, a.source);
  return given;
}

function walkCombination(w: Walker, inst: string, env: Env, t: Combination, input: string): TTerm {
  const operands: TOperand[] = [];
  const joins: IrNode[] = [];
  let acc: string | undefined;
  for (const stmt of t.operands) {
    const taken = present(w.ctx, env, stmt);
    if (!taken) {
      operands.push({ role: 'absent', stmt });
      continue;
    }
    let op: TOperand;
    let value: string;
    const tm = taken.term;
    if (isInput(env, taken)) {
      op = { role: 'input', stmt };
      value = input;
    } else if (t.op === '+' && acc !== undefined && tm.kind === 'Call' && tm.callee.name === 'shortcut' && !env.variable('shortcut')) {
      const node = w.index.takeNode(inst, tm.span);
      const arg = tm.args?.[0];
      op = { role: 'shortcut', stmt, node, resolved: w.index.resolved.get(node.name) ?? [], policy: arg ? { expr: arg.value } : undefined };
      value = node.name;
    } else {
      const item = walkItem(w, inst, env, taken, input);
      op = { role: 'term', stmt, item };
      value = item.output;
    }
    operands.push(op);
    if (acc === undefined) acc = value;
    else {
      const j = w.index.takeNode(inst, t.span);
      joins.push(j);
      acc = j.name;
    }
  }
  return { kind: 'combination', operands, joins };
}

function walkInstance(w: Walker, prefix: string, ref: DeclRef, env: Env, body: readonly Stmt[], input: string): Instance {
  const layers = body.filter((s): s is LayerStmt => s.kind === 'Layer');
  const items = walkItems(w, prefix, env, layers, input);
  return { prefix, ref, body, env, input, output: items.length ? items[items.length - 1]!.output : input, items };
}

/**
 * The trace of the network `decl` (from the file of `ref`): `graph` is its IR as elaborated (the
 * shortcuts unresolved), `after` the same after the shortcut pass. Statements of a network other
 * than layers (input, output, expect) are left to the caller.
 */
export function traceNetwork(ref: DeclRef & { decl: NetworkDecl }, scopes: ReadonlyMap<string, FileScope>, graph: IrGraph, after: IrGraph): Instance {
  const ctx = newCtx(scopes);
  const w: Walker = { ctx, index: new Index(graph, after), scopes };
  try {
    // a network defined from another is the other's body with the arguments given (network.ts)
    let cur: DeclRef = ref;
    let env = makeEnv(bindParams(ctx, ref, [], ref.decl.span, undefined), scopes.get(ref.file.absPath)!);
    let decl = ref.decl as NetworkDecl;
    while (decl.base) {
      const target = env.decl(decl.base.callee.name)!;
      const args = evalArgs(ctx, env, decl.base.args);
      env = makeEnv(bindParams(ctx, target, args, decl.base.span, undefined), scopes.get(target.file.absPath)!);
      cur = target;
      decl = target.decl as NetworkDecl;
    }
    const input = graph.inputs[0]!.name;
    return walkInstance(w, '', cur, env, decl.body, input);
  } catch (e) {
    if (e instanceof Abort) throw unsupported(`the network could not be traced: ${e.diagnostic.message}`, e.diagnostic.span);
    throw e;
  }
}
