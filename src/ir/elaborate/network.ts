/**
 * Elaboration of a network: its input, its layers, its named outputs and its `expect` lines,
 * into an IR graph. A derived network (`network resnet50 = resnet(bottleneck, 3, 4, 6, 3)`)
 * elaborates its base with those arguments, under its own name, with its own expectations.
 */
import type { Span } from '../../diagnostics/span.js';
import type { ExpectStmt, NetworkDecl, Stmt, TypeExpr } from '../../parser/ast.js';
import type { DeclRef } from '../../program/scope.js';
import { tensorType, type Dim, type IrGraph, type TensorType, type GraphOutput } from '../types.js';
import { fail } from './abort.js';
import { bindParams } from './blocks.js';
import { GraphBuilder, NameScope, type Cursor } from './context.js';
import { makeEnv, type Ctx, type Env } from './env.js';
import { elabLayer, evalArgs, evalValue } from './layers.js';
import { describe, type BoundArg } from './values.js';

export type Expectation =
  | { what: 'params' | 'macs'; value: number; span: Span }
  | { what: 'output'; output?: string; type: TensorType; span: Span };

export interface ElaboratedNetwork {
  name: string;
  span: Span;
  graph: IrGraph;
  expects: Expectation[];
}

export function evalType(ctx: Ctx, env: Env, t: TypeExpr): TensorType {
  if (t.dtype.name !== 'f32') fail('E0206', `element type ${t.dtype.name} is not supported`, t.dtype.span, { help: 'write f32' });
  const dims: Dim[] = t.dims.map((d, i) => {
    if (d.kind === 'Name' && !env.variable(d.name)) {
      if (d.name === 'N' && i === 0) return 'N';
      fail('E0206', d.name === 'N' ? 'only the first (batch) dimension may be N' : `unknown dimension ${d.name}: only the batch dimension may be symbolic, as N`, d.span);
    }
    const v = evalValue(ctx, env, d);
    if (v.kind !== 'int' || v.v < 1) fail('E0206', `a dimension must be a positive integer, found ${describe(v)}`, d.span);
    return v.v;
  });
  return tensorType(dims);
}

function evalExpect(ctx: Ctx, env: Env, e: ExpectStmt): Expectation {
  if (e.what === 'output') return { what: 'output', type: evalType(ctx, env, e.type), span: e.span, ...(e.output ? { output: e.output.name } : {}) };
  const v = evalValue(ctx, env, e.value);
  if (v.kind !== 'int') fail('E0107', `expect ${e.what} needs an integer, found ${describe(v)}`, e.value.span);
  return { what: e.what, value: v.v, span: e.span };
}

/** Elaborates a network declaration (generic ones with `args`), under `name`. */
export function elaborateNetwork(ctx: Ctx, ref: DeclRef & { decl: NetworkDecl }, args: BoundArg[], callSpan: Span, name: string): ElaboratedNetwork {
  const decl = ref.decl;
  const vars = bindParams(ctx, ref, args, callSpan, undefined);
  const env = makeEnv(vars, ctx.scopes.get(ref.file.absPath)!);
  if (decl.base) return elaborateDerived(ctx, env, decl, name);
  return elaborateBody(ctx, env, decl.body, name, decl.span, undefined);
}

function elaborateDerived(ctx: Ctx, env: Env, decl: NetworkDecl, name: string): ElaboratedNetwork {
  const base = decl.base!;
  const target = env.decl(base.callee.name);
  if (!target) fail('E0101', `unknown network ${base.callee.name}`, base.callee.span);
  if (target.decl.kind !== 'Network')
    fail('E0117', `${base.callee.name} is a block; a network can only be defined from another network`, base.callee.span, {
      labels: [{ span: target.decl.name.span, message: 'defined here' }],
    });
  if (ctx.b.callStack.some((c) => c.name === base.callee.name) || ctx.b.callStack.length > 16)
    fail('E0403', `network ${name} is defined from itself`, base.callee.span);
  let inputOverride: TensorType | undefined;
  const expects: Expectation[] = [];
  for (const s of decl.body) {
    if (s.kind === 'Expect') expects.push(evalExpect(ctx, env, s));
    else if (s.kind === 'Input') inputOverride = evalType(ctx, env, s.type);
    else fail('E0117', 'a network defined from another may only hold input and expect lines', s.span);
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
        if (cur) fail('E0117', 'a network takes one input, before its first layer', s.span);
        cur = b.addInput(s.name.name, inputOverride ?? evalType(ctx, env, s.type), s.span);
        break;
      case 'Output': {
        const from = s.source ? ctx.labelled.get(s.source.name) : cur;
        if (s.source && !from) fail('E0116', `no layer labelled ${s.source.name} comes before this output`, s.source.span);
        if (!from) fail('E0113', 'an output needs an input and layers before it', s.span);
        if (outputs.some((o) => o.name === s.name.name)) fail('E0111', `output ${s.name.name} is named twice`, s.name.span);
        const input = b.inputs.find((i) => i.name === s.name.name);
        if (input)
          fail('E0111', `output ${s.name.name} has the name of the network's input`, s.name.span, {
            labels: [{ span: input.span, message: 'the input is named here' }],
            help: 'give the output another name',
          });
        outputs.push({ name: s.name.name, value: from.value, span: s.span });
        break;
      }
      case 'Expect':
        expects.push(evalExpect(ctx, env, s));
        break;
      case 'Layer':
        if (!cur) fail('E0113', `network ${name} needs an input before its first layer`, s.span, { help: 'write input image: f32[N, 3, 224, 224] first' });
        cur = elabLayer(ctx, env, s, cur, scope);
        break;
    }
  }
  if (!cur) fail('E0113', `network ${name} has no input`, span, { help: 'write input image: f32[N, 3, 224, 224] first' });
  if (outputs.length === 0) outputs.push({ name: 'output', value: cur.value, span });
  const graph: IrGraph = { name, inputs: b.inputs, outputs, nodes: b.nodes, types: b.types, params: b.params, modules: b.modules };
  return { name, span, graph, expects };
}

export function newCtx(scopes: Ctx['scopes']): Ctx {
  return { b: new GraphBuilder(), scopes, labelled: new Map() };
}
