/**
 * The classes of the emitted file: one per block the network uses (its parameters as constructor
 * arguments, its body as `__init__` and `forward`, body.ts), and the network's (its layers with
 * the values this network gives them). Names: a block `squeeze_excitation` is the class
 * `SqueezeExcitation`, the network `cifar_resnet20` the class `CifarResnet20`.
 */
import type { TensorType } from '../ir/types.js';
import type { BlockDecl, LayerStmt, NetworkDecl, Stmt } from '../parser/ast.js';
import type { Span } from '../diagnostics/span.js';
import type { FileScope } from '../ir/elaborate/scope.js';
import type { ShortcutPolicy } from '../passes/pass.js';
import { statement } from './body.js';
import { sourceText, startFlow, type BodyContext, type Sample } from './context.js';
import { selfSequence } from './sequence.js';
import * as py from './py/expr.js';
import { assign, type PyStmt } from './py/format.js';
import { pyIdent, signature, type Signature } from './signature.js';
import type { Instance, TTerm } from './trace.js';
import type { NameContext } from './translate.js';
import type { Dims } from './layer.js';

export interface EmitContext {
  readonly types: ReadonlyMap<string, TensorType>;
  readonly sources: ReadonlyMap<string, string>;
  readonly scopes: ReadonlyMap<string, FileScope>;
  readonly policy: ShortcutPolicy;
  readonly helpers: Map<string, string>;
  /** The channels of each written block class's output, in its variables, for its callers. */
  readonly outputs: Map<BlockDecl, py.PyExpr | undefined>;
}

/** `squeeze_excitation` -> `SqueezeExcitation`, `ResBlk` -> `ResBlk`. */
export function className(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** Every block instance under `inst`, depth first, children before their callers. */
function instancesBelow(inst: Instance, out: Instance[] = []): Instance[] {
  const visit = (t: TTerm | undefined): void => {
    if (!t) return;
    switch (t.kind) {
      case 'block':
        instancesBelow(t.inst, out);
        out.push(t.inst);
        return;
      case 'path':
        return t.items.forEach((i) => visit(i.term));
      case 'repeat':
        return t.iterations.forEach((i) => visit(i.term));
      case 'combination':
        return t.operands.forEach((o) => o.role === 'term' && visit(o.item.term));
      default:
        return;
    }
  };
  inst.items.forEach((i) => visit(i.term));
  return out;
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

export function location(ctx: EmitContext, span: Span): string {
  return `${span.file}:${lineOf(ctx.sources.get(span.file) ?? '', span.start)}`;
}

/** The comment lines right above a declaration in its file, without their `#`. */
function commentAbove(ctx: EmitContext, span: Span): string {
  const text = ctx.sources.get(span.file) ?? '';
  const lines = text.slice(0, span.start).split('\n');
  lines.pop();
  const out: string[] = [];
  while (lines.length && /^\s*#/.test(lines[lines.length - 1]!)) out.unshift(lines.pop()!.replace(/^\s*#\s?/, ''));
  return out.join(' ').trim();
}

/** `block basic(planes, stride = 1)`: a declaration's head as written, on one line. */
function head(ctx: EmitContext, decl: BlockDecl | NetworkDecl): string {
  const text = ctx.sources.get(decl.span.file) ?? '';
  let i = decl.name.span.end;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (text[i] === '(') {
    for (let depth = 0; i < text.length; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')' && --depth === 0) {
        i++;
        break;
      }
    }
  }
  if (decl.kind === 'Network' && decl.base) i = decl.base.span.end;
  return text.slice(decl.span.start, i).replace(/\s+/g, ' ').trim();
}

export interface BlockClass {
  readonly decl: BlockDecl;
  readonly sig: Signature;
  readonly instances: readonly Instance[];
}

/** The classes of the blocks under the network's instance, callees first, each with its signature. */
export function blockClasses(ctx: EmitContext, root: Instance, taken: Set<string>, coerce: ReadonlyMap<BlockDecl, ReadonlySet<string>>): BlockClass[] {
  const byDecl = new Map<BlockDecl, Instance[]>();
  for (const inst of instancesBelow(root)) {
    const d = inst.ref.decl as BlockDecl;
    const l = byDecl.get(d);
    if (l) l.push(inst);
    else byDecl.set(d, [inst]);
  }
  const names = new Map<BlockDecl | NetworkDecl, string>();
  for (const d of byDecl.keys()) {
    let n = pyIdent(className(d.name.name), taken);
    for (let i = 2; taken.has(n); i++) n = `${className(d.name.name)}${i}`;
    taken.add(n);
    names.set(d, n);
  }
  const classOf: NameContext['classOf'] = (d) => names.get(d);
  return [...byDecl].map(([decl, instances]) => ({
    decl,
    instances,
    sig: signature({
      name: names.get(decl)!,
      decl,
      scope: ctx.scopes.get(instances[0]!.ref.file.absPath)!,
      instances,
      classOf,
      types: ctx.types,
      coerce: coerce.get(decl) ?? new Set(),
    }),
  }));
}

function bodyContext(ctx: EmitContext, concrete: boolean, sig: Signature | undefined, scope: FileScope, classes: readonly BlockClass[]): BodyContext {
  const bySig = new Map(classes.map((k) => [k.decl, k.sig] as const));
  const loops = new Map<string, string>();
  const names: NameContext = {
    variable: (n) => loops.get(n) ?? sig?.pyName.get(n),
    decl: (n) => scope.get(n),
    classOf: (d) => bySig.get(d as BlockDecl)?.name,
  };
  return {
    concrete,
    types: ctx.types,
    env: (inst) => (sig ? sig.env(inst) : new Map()),
    names,
    outputOf: (s) => ctx.outputs.get(s.decl),
    strides: [],
    signatureOf: (inst) => bySig.get(inst.ref.decl as BlockDecl)!,
    policy: ctx.policy,
    sources: ctx.sources,
    helpers: ctx.helpers,
    flags: [],
    attrs: new Set(),
    locals: { init: new Set(['self', ...(sig ? sig.params.map((p) => p.py) : [])]), forward: new Set(['self', 'x']) },
    loops,
  };
}

/** The spec's statement as a comment above its code: where it is one line, and more than one layer (which the code says as plainly). */
function commentOf(c: BodyContext, stmt: LayerStmt): PyStmt[] {
  const t = stmt.term;
  const plain = t.kind === 'Call' && !stmt.label && !stmt.when && c.names.variable(t.callee.name) === undefined && !c.names.decl(t.callee.name);
  const multiline = (c.sources.get(stmt.span.file) ?? '').slice(stmt.span.start, stmt.span.end).includes('\n');
  return plain || multiline ? [] : [{ k: 'comment', text: sourceText(c, stmt.span, 200) }];
}

/** The statements of a body, each with its samples (one per use). */
function walkBody(c: BodyContext, instances: readonly Instance[], stmts: readonly LayerStmt[], init: PyStmt[], flow: ReturnType<typeof startFlow>): void {
  stmts.forEach((stmt, j) => {
    const samples: Sample[] = instances.map((inst) => ({ inst, item: inst.items[j]!, loop: new Map() }));
    init.push(...commentOf(c, stmt));
    statement(c, stmt, samples, init, flow);
  });
}

const layerStmts = (body: readonly Stmt[]) => body.filter((s): s is LayerStmt => s.kind === 'Layer');

/** The class of a block: the constructor of its signature, its body, and (unless it is a Sequential) forward. */
export function blockClass(ctx: EmitContext, k: BlockClass, classes: readonly BlockClass[]): { stmt: PyStmt; intUses: Set<string> } {
  const { sig, instances } = k;
  const scope = ctx.scopes.get(instances[0]!.ref.file.absPath)!;
  const c = bodyContext(ctx, false, sig, scope, classes);
  const stmts = layerStmts(k.decl.body);
  const rank = ctx.types.get(instances[0]!.input)!.shape.length;
  const dims: Dims = Array.from({ length: rank }, (_, i) => (i === 1 ? [py.name('in_channels')] : []));
  const init: PyStmt[] = [];
  const fwd: PyStmt[] = [];
  // a block that is one repetition with a template label (`"block{i}-{j}": blk x n as j`) is a Sequential
  const only = stmts.length === 1 ? stmts[0]! : undefined;
  const sequential = only?.term.kind === 'Repeat' && only.label?.kind === 'Template' && !only.when;
  const flow = startFlow(fwd, 'x', dims);
  if (sequential) {
    init.push({ k: 'comment', text: sourceText(c, only.span, 200) });
    ctx.outputs.set(k.decl, sequenceOfSelf(c, only, instances, init, dims)[1]?.[0]);
  } else {
    walkBody(c, instances, stmts, init, flow);
    ctx.outputs.set(k.decl, flow.dims[1]?.[0]);
  }
  const computed: PyStmt[] = sig.params.filter((p) => p.computed).map((p) => ({ k: 'if', test: py.raw(`${p.py} is None`), body: [assign(p.py, p.default!)] }));
  const initDef: PyStmt = {
    k: 'def',
    name: '__init__',
    params: [py.raw('self'), ...sig.params.map((p) => py.raw(p.default === undefined ? p.py : `${p.py}=${p.computed ? 'None' : py.print(p.default)}`))],
    body: [assign(undefined, py.call('super().__init__')), ...computed, ...c.flags, ...init],
  };
  const members: PyStmt[] = [initDef];
  if (!sequential) members.push({ k: 'blank' }, { k: 'def', name: 'forward', params: [py.raw('self'), py.raw('x')], body: [...mergeIfs(fwd), { k: 'return', value: py.name(flow.v) }] });
  const doc = [commentAbove(ctx, k.decl.span), `From \`${head(ctx, k.decl)}\`, ${location(ctx, k.decl.span)}.`].filter(Boolean).join('\n\n');
  return { stmt: { k: 'class', name: sig.name, base: sequential ? 'nn.Sequential' : 'nn.Module', doc, body: members }, intUses: intUses([...init, ...c.flags], sig) };
}

/** A Sequential block: its repetition added to itself (`self.add_module(f"block{index}-{i}", ...)`). */
function sequenceOfSelf(c: BodyContext, stmt: LayerStmt, instances: readonly Instance[], init: PyStmt[], dims: Dims): Dims {
  return selfSequence(c, stmt, instances.map((inst) => ({ inst, item: inst.items[0]!, loop: new Map() })), init, dims);
}

/** Adjacent `if self.f:` statements with the same test, as one. */
function mergeIfs(stmts: readonly PyStmt[]): PyStmt[] {
  const out: PyStmt[] = [];
  for (const s of stmts) {
    const last = out[out.length - 1];
    if (s.k === 'if' && last?.k === 'if' && py.print(last.test) === py.print(s.test)) out[out.length - 1] = { ...last, body: [...last.body, ...s.body] };
    else out.push(s);
  }
  return out;
}

/** Parameters with a computed default that the body wraps in int(): candidates for computing them as integers. */
function intUses(stmts: readonly PyStmt[], sig: Signature): Set<string> {
  const found = new Set<string>();
  const computed = new Map(sig.params.filter((p) => p.computed && p.spec).map((p) => [p.py, p.spec!] as const));
  const visit = (e: py.PyExpr): void => {
    if (e.k === 'call') {
      if (e.fn === 'int' && e.args.length === 1 && e.args[0]!.k === 'name' && computed.has(e.args[0]!.name)) found.add(computed.get(e.args[0]!.name)!);
      e.args.forEach(visit);
      e.kwargs.forEach(([, v]) => visit(v));
    } else if (e.k === 'list' || e.k === 'tuple') e.items.forEach(visit);
    else if (e.k === 'star') visit(e.x);
    else if (e.k === 'gen') visit(e.x);
  };
  const walk = (s: PyStmt): void => {
    if (s.k === 'assign' || s.k === 'return') visit(s.value);
    else if (s.k === 'if' || s.k === 'for') s.body.forEach(walk);
  };
  stmts.forEach(walk);
  return found;
}

/** The network's class: every value as this network has it. */
export function networkClass(ctx: EmitContext, root: Instance, netDecl: NetworkDecl, graph: { inputs: readonly { name: string; type: TensorType }[]; outputs: readonly { name: string; value: string }[] }, classes: readonly BlockClass[], name: string): PyStmt {
  const scope = ctx.scopes.get(root.ref.file.absPath)!;
  const c = bodyContext(ctx, true, undefined, scope, classes);
  const input = graph.inputs[0]!;
  const arg = pyIdent(input.name, new Set(['self']));
  c.locals.forward.add(arg);
  const init: PyStmt[] = [];
  const fwd: PyStmt[] = [];
  const flow = { ...startFlow(fwd, arg, []), target: 'x' };
  const body = root.body;
  // outputs: the tensor at an `output NAME` line, or after the layer an `output NAME = label` names;
  // kept in a variable of their own where more layers follow
  const returned: string[] = [];
  let j = 0;
  body.forEach((stmt, i) => {
    const more = body.slice(i + 1).some((s) => s.kind === 'Layer');
    const keep = (outName: string) => {
      if (!more) return returned.push(flow.v);
      const v = pyIdent(outName, c.locals.forward);
      c.locals.forward.add(v);
      fwd.push(assign(v, py.name(flow.v)));
      returned.push(v);
    };
    if (stmt.kind === 'Layer') {
      const samples: Sample[] = [{ inst: root, item: root.items[j++]!, loop: new Map() }];
      init.push(...commentOf(c, stmt));
      statement(c, stmt, samples, init, flow);
      const label = stmt.label?.kind === 'Ident' ? stmt.label.name : undefined;
      for (const o of body) if (o.kind === 'Output' && label !== undefined && o.source?.name === label) keep(o.name.name);
    } else if (stmt.kind === 'Output' && !stmt.source) keep(stmt.name.name);
  });
  if (returned.length === 0) returned.push(flow.v);
  const fwdBody: PyStmt[] = [...fwd, { k: 'return', value: returned.length === 1 ? py.name(returned[0]!) : { k: 'tuple', items: returned.map((r) => py.name(r)) } }];
  const outTypes = graph.outputs.map((o) => `${o.name}: ${shape(ctx.types.get(o.value)!)}`);
  const doc = [
    commentAbove(ctx, netDecl.span),
    ...(root.ref.decl !== netDecl ? [commentAbove(ctx, root.ref.decl.span)] : []),
    `From \`${head(ctx, netDecl)}\`, ${location(ctx, netDecl.span)}${root.ref.decl !== netDecl ? `, and \`${head(ctx, root.ref.decl as NetworkDecl)}\`, ${location(ctx, root.ref.decl.span)}` : ''}.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const fdoc = `${input.name}: ${shape(input.type)} -> ${outTypes.join(', ')}.`;
  return {
    k: 'class',
    name,
    base: 'nn.Module',
    doc,
    body: [
      { k: 'def', name: '__init__', params: [py.raw('self')], body: [assign(undefined, py.call('super().__init__')), ...init] },
      { k: 'blank' },
      { k: 'def', name: 'forward', params: [py.raw('self'), py.raw(arg)], doc: fdoc, body: mergeIfs(fwdBody) },
    ],
  };
}

export const shape = (t: TensorType) => `[${t.shape.join(', ')}]`;
