/**
 * Elaboration of a network: its input, its layers, its named outputs and its `expect` lines,
 * into an IR graph. A derived network (`network resnet50 = resnet(bottleneck, 3, 4, 6, 3)`)
 * elaborates its base with those arguments, under its own name, with its own expectations.
 * Statements are elaborated one by one: the errors of each are reported and the others go on; a
 * network with any error yields no graph.
 */
import { error } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import type { ExpectStmt, NetworkDecl, Stmt, TypeExpr } from '../../parser/ast.js';
import type { DeclRef } from './scope.js';
import type { Expectation } from '../expect.js';
import { tensorType, type Dim, type GraphOutput, type IrGraph, type TensorType } from '../types.js';
import { Abort, fail } from './abort.js';
import { GraphBuilder, NameScope, poisoned, type Cursor } from './context.js';
import { evalArgs, evalValue, makeEnv, report, type Ctx, type Env } from './env.js';
import { elabStatement } from './layers.js';
import { bindParams } from './params.js';
import { describe, wholeNumber, type BoundArg } from './values.js';

export type { Expectation };

export interface ElaboratedNetwork {
  name: string;
  span: Span;
  graph: IrGraph;
  expects: Expectation[];
  /** How many block calls copied an earlier call's expansion instead of elaborating it (block-cache.ts). */
  reusedExpansions: number;
}

export function evalType(ctx: Ctx, env: Env, t: TypeExpr): TensorType {
  if (t.dtype.name !== 'f32') fail('E0206', `element type ${t.dtype.name} is not supported`, t.dtype.span, { help: 'write f32' });
  const dims: Dim[] = t.dims.map((d, i) => {
    if (d.kind === 'Name' && !env.variable(d.name)) {
      if (d.name === 'N' && i === 0) return 'N';
      fail('E0206', d.name === 'N' ? 'only the first (batch) dimension may be N' : `unknown dimension ${d.name}: only the batch dimension may be symbolic, as N`, d.span);
    }
    const v = evalValue(ctx, env, d);
    const n = wholeNumber(v);
    if (n === undefined || n < 1) fail('E0206', `a dimension must be a positive integer, found ${describe(v)}`, d.span);
    return n;
  });
  return tensorType(dims);
}

function evalExpect(ctx: Ctx, env: Env, e: ExpectStmt): Expectation {
  if (e.what === 'output') return { what: 'output', type: evalType(ctx, env, e.type), span: e.span, ...(e.output ? { output: e.output.name } : {}) };
  const v = evalValue(ctx, env, e.value);
  if (v.kind !== 'int') fail('E0107', `expect ${e.what} needs an integer, found ${describe(v)}`, e.value.span);
  return { what: e.what, value: v.v, span: e.span };
}

/** Runs one network-level step; its error is reported and `fallback` stands for its result. */
function attempt<T>(ctx: Ctx, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof Abort)) throw e;
    report(ctx, e.diagnostic);
    return fallback;
  }
}

/** Elaborates a network declaration (generic ones with `args`), under `name`; undefined when it has errors (reported in ctx). */
export function elaborateNetwork(ctx: Ctx, ref: DeclRef & { decl: NetworkDecl }, args: BoundArg[], callSpan: Span, name: string): ElaboratedNetwork | undefined {
  const net = attempt(
    ctx,
    () => {
      const vars = bindParams(ctx, ref, args, callSpan, undefined);
      const env = makeEnv(vars, ctx.scopes.get(ref.file.absPath)!);
      return ref.decl.base ? elaborateDerived(ctx, env, ref.decl, name) : elaborateBody(ctx, env, ref.decl.body, name, ref.decl.span, undefined);
    },
    undefined,
  );
  return ctx.diagnostics.length ? undefined : net;
}

function elaborateDerived(ctx: Ctx, env: Env, decl: NetworkDecl, name: string): ElaboratedNetwork {
  const base = decl.base!;
  const target = env.decl(base.callee.name);
  if (!target) fail('E0101', `unknown network ${base.callee.name}`, base.callee.span);
  if (target.decl.kind !== 'Network')
    fail('E0119', `${base.callee.name} is a block; a network can only be defined from another network`, base.callee.span, {
      labels: [{ span: target.decl.name.span, message: 'defined here' }],
    });
  if (ctx.b.callStack.some((c) => c.name === base.callee.name) || ctx.b.callStack.length > 16)
    fail('E0403', `network ${name} is defined from itself`, base.callee.span);
  let inputOverride: TensorType | undefined;
  const expects: Expectation[] = [];
  for (const s of decl.body) {
    if (s.kind === 'Expect') attempt(ctx, () => expects.push(evalExpect(ctx, env, s)), 0);
    else if (s.kind === 'Input') inputOverride = attempt(ctx, () => evalType(ctx, env, s.type), undefined);
    else report(ctx, error('E0120', 'a network defined from another may only hold input and expect lines', s.span, { help: 'write the layers in the network it is defined from' }));
  }
  const args = evalArgs(ctx, env, base.args);
  const ref = target as DeclRef & { decl: NetworkDecl };
  ctx.b.callStack.push({ span: base.span, name: base.callee.name });
  const baseVars = bindParams(ctx, ref, args, base.span, undefined);
  const baseEnv = makeEnv(baseVars, ctx.scopes.get(ref.file.absPath)!);
  const inner = ref.decl.base
    ? elaborateDerived(ctx, baseEnv, ref.decl, name)
    : elaborateBody(ctx, baseEnv, ref.decl.body, name, decl.span, inputOverride);
  ctx.b.callStack.pop();
  return { ...inner, span: decl.span, expects };
}

function elaborateBody(ctx: Ctx, env: Env, body: readonly Stmt[], name: string, span: Span, inputOverride: TensorType | undefined): ElaboratedNetwork {
  const b = ctx.b;
  const scope = new NameScope('', 'counters');
  const outputs: GraphOutput[] = [];
  const expects: Expectation[] = [];
  let cur: Cursor | undefined;
  for (const s of body) {
    switch (s.kind) {
      case 'Input':
        cur = attempt(ctx, () => {
          if (cur) fail('E0121', 'a network takes one input, before its first layer', s.span);
          return b.addInput(s.name.name, inputOverride ?? evalType(ctx, env, s.type), s.span);
        }, cur ?? poisoned(s.span));
        break;
      case 'Output':
        attempt(ctx, () => addOutput(ctx, s, cur, outputs, body), undefined);
        break;
      case 'Expect':
        attempt(ctx, () => expects.push(evalExpect(ctx, env, s)), 0);
        break;
      case 'Layer':
        if (!cur) {
          attempt(ctx, () => fail('E0113', `network ${name} needs an input before its first layer`, s.span, { help: 'write input image: f32[N, 3, 224, 224] first' }), undefined);
          cur = poisoned(s.span);
        }
        cur = elabStatement(ctx, env, s, cur, scope);
        break;
    }
  }
  if (!cur) fail('E0113', `network ${name} has no input`, span, { help: 'write input image: f32[N, 3, 224, 224] first' });
  if (outputs.length === 0 && !cur.poisoned) outputs.push({ name: 'output', value: cur.value, span });
  const graph: IrGraph = { name, inputs: b.inputs, outputs, nodes: b.nodes, types: b.types, params: b.params, modules: b.modules };
  return { name, span, graph, expects, reusedExpansions: b.reused };
}

/**
 * E0116 for `output y = LABEL` with no such layer before it, saying why when the label is written:
 * its item is absent (its condition is false), or it comes after the output.
 */
function missingLabel(name: string, span: Span, at: number, body: readonly Stmt[]): never {
  const labelled = body.findIndex((t) => t.kind === 'Layer' && t.label?.kind === 'Ident' && t.label.name === name);
  const stmt = labelled >= 0 ? (body[labelled] as Stmt & { kind: 'Layer' }) : undefined;
  if (stmt && labelled < at && stmt.when)
    fail('E0116', `the layer labelled ${name} is not in this network: its condition is false`, span, {
      labels: [{ span: stmt.when.cond.span, message: 'false, so the item is left out' }],
      help: 'output a layer that is always present, or make the condition hold',
    });
  if (stmt && labelled > at)
    fail('E0116', `the layer labelled ${name} comes after this output`, span, {
      labels: [{ span: stmt.label!.span, message: 'labelled here' }],
      help: 'an output reads a layer above it: move the output below the layer',
    });
  return fail('E0116', `no layer labelled ${name} comes before this output`, span);
}

function addOutput(ctx: Ctx, s: Stmt & { kind: 'Output' }, cur: Cursor | undefined, outputs: GraphOutput[], body: readonly Stmt[]): void {
  const from = s.source ? ctx.labelled.get(s.source.name) : cur;
  if (s.source && !from) missingLabel(s.source.name, s.source.span, body.indexOf(s), body);
  if (!from) fail('E0113', 'an output needs an input and layers before it', s.span);
  if (outputs.some((o) => o.name === s.name.name)) fail('E0111', `output ${s.name.name} is named twice`, s.name.span);
  const input = ctx.b.inputs.find((i) => i.name === s.name.name);
  if (input)
    fail('E0111', `output ${s.name.name} has the name of the network's input`, s.name.span, {
      labels: [{ span: input.span, message: 'the input is named here' }],
      help: 'give the output another name',
    });
  if (!from.poisoned) outputs.push({ name: s.name.name, value: from.value, span: s.span });
}

export function newCtx(scopes: Ctx['scopes'], reuseExpansions = true): Ctx {
  return { b: new GraphBuilder(reuseExpansions), scopes, labelled: new Map(), diagnostics: [] };
}
