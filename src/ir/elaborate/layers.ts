/**
 * Elaboration of layer statements: built-in layers, block calls, paths, repetition and residuals,
 * each turned into IR nodes with inferred types and torchvision-style names.
 */
import { limits } from '../../limits.js';
import type { Arg, CallTerm, LayerStmt, Repeat, Residual, ResidualOperand } from '../../parser/ast.js';
import { formatType, sameType, type Dim } from '../types.js';
import { fail } from './abort.js';
import { callBlock, bindBlock } from './blocks.js';
import { builtinAttrs, counterKind, resolveBuiltin } from './builtins.js';
import { NameScope, type Cursor } from './context.js';
import type { Ctx, Env } from './env.js';
import { describe, evalExpr, type BoundArg, type Value } from './values.js';

export function evalArgs(ctx: Ctx, env: Env, args: readonly Arg[]): BoundArg[] {
  return args.map((a) => ({
    ...(a.name ? { name: a.name.name } : {}),
    value: evalValue(ctx, env, a.value),
    span: a.span,
  }));
}

export function evalValue(ctx: Ctx, env: Env, e: Parameters<typeof evalExpr>[0]): Value {
  return evalExpr(e, env, (ref, args) => bindBlock(ctx, ref, args));
}

export function elabStmts(ctx: Ctx, env: Env, items: readonly LayerStmt[], cur: Cursor, scope: NameScope): Cursor {
  for (const item of items) cur = elabLayer(ctx, env, item, cur, scope);
  return cur;
}

export function elabLayer(ctx: Ctx, env: Env, stmt: LayerStmt, cur: Cursor, scope: NameScope): Cursor {
  const label = stmt.label?.name;
  const t = stmt.term;
  let out: Cursor;
  switch (t.kind) {
    case 'Call':
      out = elabCall(ctx, env, t, [], cur, scope, label);
      break;
    case 'Repeat':
      out = elabRepeat(ctx, env, t, cur, label ? sequence(ctx, scope, label) : scope);
      break;
    case 'Path':
      out = elabStmts(ctx, env, t.items, cur, label ? sequence(ctx, scope, label) : scope);
      break;
    case 'Residual':
      out = elabResidual(ctx, env, t, cur, label ? scope.child(label, 'counters') : scope);
      break;
  }
  if (label && scope.prefix === '') ctx.labelled.set(label, out);
  return out;
}

function sequence(ctx: Ctx, scope: NameScope, label: string): NameScope {
  const s = scope.child(label, 'sequential');
  ctx.b.modules.set(s.prefix, 'sequence');
  return s;
}

/** Named arguments of `with first(...)` override the call's own. */
function mergeArgs(args: BoundArg[], extra: readonly BoundArg[]): BoundArg[] {
  if (extra.length === 0) return args;
  const names = new Set(extra.filter((a) => a.name !== undefined).map((a) => a.name));
  return [...args.filter((a) => a.name === undefined || !names.has(a.name)), ...extra];
}

export function elabCall(ctx: Ctx, env: Env, term: CallTerm, extra: readonly BoundArg[], cur: Cursor, scope: NameScope, label?: string): Cursor {
  const name = term.callee.name;
  const args = mergeArgs(evalArgs(ctx, env, term.args ?? []), extra);
  const variable = env.variable(name);
  if (variable && variable.kind !== 'block')
    fail('E0107', `${name} is ${describe(variable)}, not a layer or block`, term.callee.span);
  if (!variable && name === 'shortcut')
    fail('E0107', 'shortcut can only be the second operand of a residual', term.span, { help: 'write <conv3; bn> + shortcut' });
  const builtin = variable ? undefined : resolveBuiltin(name);
  if (builtin) {
    const attrs = builtinAttrs(name, builtin, args, term.span, env.blockOut);
    const { kind, alwaysNumbered } = counterKind(builtin.op);
    const nodeName = label ? scope.qualify(label) : scope.next(kind, alwaysNumbered);
    return ctx.b.add(builtin.op, nodeName, [cur], attrs, term.span);
  }
  const value: Value | undefined = variable ?? (env.decl(name) ? { kind: 'block', ref: env.decl(name)!, bound: [] } : undefined);
  if (!value || value.kind !== 'block') return fail('E0101', `unknown layer or block ${name}`, term.callee.span, suggest(name, env));
  const local = label ?? scope.nextLocal(value.ref.decl.name.name, true);
  return callBlock(ctx, value, args, term.span, cur, new NameScope(scope.qualify(local), 'counters'));
}

function suggest(name: string, env: Env): { help?: string } {
  const known = [...env.scope.keys(), ...env.vars.keys(), 'conv3', 'conv1', 'bn', 'relu', 'fc', 'maxpool', 'avgpool', 'gap', 'flatten'];
  const close = known.find((k) => editDistance(k, name) <= 2);
  return close ? { help: `a layer or block named ${close} exists` } : {};
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function elabRepeat(ctx: Ctx, env: Env, t: Repeat, cur: Cursor, scope: NameScope): Cursor {
  const n = evalValue(ctx, env, t.count);
  if (n.kind !== 'int') return fail('E0107', `a repetition count must be an integer, found ${describe(n)}`, t.count.span);
  if (n.v < 0) fail('E0109', `a repetition count must be at least 0, found ${n.v}`, t.count.span);
  if (n.v > limits.maxRepeat) fail('E0401', `repetition count ${n.v} is more than the limit of ${limits.maxRepeat}`, t.count.span);
  if (t.first && t.body.kind !== 'Call')
    fail('E0109', '`with first(...)` needs a repeated block or layer, not a path', t.first.span, { help: 'write blk(64) x 3 with first(stride = 2)' });
  const first = t.first ? evalArgs(ctx, env, t.first.args) : [];
  for (let i = 0; i < n.v; i++) {
    const before = ctx.b.nodes.length;
    const paramsBefore = ctx.b.paramCount;
    cur =
      t.body.kind === 'Call'
        ? elabCall(ctx, env, t.body, i === 0 ? first : [], cur, scope)
        : elabStmts(ctx, env, t.body.items, cur, scope);
    // Every item after the first (or after `with first`'s) expands to as many layers and
    // parameters as this one: stop now when they cannot all fit, not after building them.
    if (i === 0 && t.first) continue;
    const per = ctx.b.nodes.length - before;
    if (per > 0 && before + per * (n.v - i) > limits.maxNodes)
      fail('E0405', `the network has more than ${limits.maxNodes} layers`, t.count.span, {
        notes: [`this repetition would make about ${(per * n.v).toLocaleString('en-US')} layers`],
        labels: ctx.b.expansionLabels(),
      });
    const perParams = ctx.b.paramCount - paramsBefore;
    if (perParams > 0 && paramsBefore + perParams * (n.v - i) > limits.maxParams)
      fail('E0406', `the network has more than ${limits.maxParams} parameters`, t.count.span, {
        notes: [`this repetition would hold about ${(perParams * n.v).toLocaleString('en-US')} parameters`],
        labels: ctx.b.expansionLabels(),
      });
  }
  return cur;
}

function elabOperand(ctx: Ctx, env: Env, op: ResidualOperand, cur: Cursor, scope: NameScope): Cursor {
  const stmt: LayerStmt = { kind: 'Layer', span: op.span, term: op.term, ...(op.label ? { label: op.label } : {}) };
  return elabLayer(ctx, env, stmt, cur, scope);
}

function elabResidual(ctx: Ctx, env: Env, t: Residual, input: Cursor, scope: NameScope): Cursor {
  const [mainOp, ...others] = t.operands;
  const main = elabOperand(ctx, env, mainOp!, input, scope);
  let sum = main;
  for (const op of others) {
    const other = elabOther(ctx, env, op, input, main, scope);
    sum = ctx.b.add('add', scope.next('add', false), [sum, other], {}, t.span, () => [
      { span: mainOp!.span, message: `this path gives ${formatType(main.type)}` },
      { span: op.span, message: `this gives ${formatType(other.type)}` },
    ]);
  }
  return sum;
}

/** A residual's other operand: `shortcut`, `identity`, or a path of its own (named `downsample` unless labelled). */
function elabOther(ctx: Ctx, env: Env, op: ResidualOperand, input: Cursor, main: Cursor, scope: NameScope): Cursor {
  const term = op.term;
  if (term.kind === 'Call' && term.callee.name === 'shortcut' && !env.variable('shortcut'))
    return elabShortcut(ctx, env, term, op.label?.name, input, main, scope);
  if (term.kind === 'Call' && term.callee.name === 'identity' && !op.label && !env.variable('identity')) {
    if (term.args && term.args.length > 0) fail('E0103', 'identity takes no arguments', term.span);
    if (!sameType(input.type, main.type))
      fail('E0201', `shapes of a residual add differ: ${formatType(main.type)} and ${formatType(input.type)}`, op.span, {
        labels: [
          { span: main.origin, message: `the path gives ${formatType(main.type)}` },
          { span: input.origin, message: `the identity passes on ${formatType(input.type)} from here` },
          ...ctx.b.expansionLabels(),
        ],
        help: 'use `shortcut` to get a projection where the shape changes',
      });
    return input;
  }
  const sub = sequence(ctx, scope, op.label ? op.label.name : scope.nextLocal('downsample', false));
  return elabLayer(ctx, env, { kind: 'Layer', span: op.span, term }, input, sub);
}

function elabShortcut(ctx: Ctx, env: Env, term: CallTerm, label: string | undefined, input: Cursor, main: Cursor, scope: NameScope): Cursor {
  const args = evalArgs(ctx, env, term.args ?? []);
  let policy = '';
  for (const a of args) {
    if ((a.name !== undefined && a.name !== 'policy') || a.value.kind !== 'policy' || args.length > 1)
      fail('E0109', 'shortcut takes one argument, the policy A, B, C or auto', a.span, { help: 'write shortcut, shortcut(A), shortcut(B), shortcut(C) or shortcut(auto)' });
    policy = a.value.v;
  }
  const i = input.type.shape;
  const o = main.type.shape;
  if (i.length !== 4 || o.length !== 4)
    fail('E0601', `a shortcut needs rank-4 tensors, found ${formatType(input.type)} in and ${formatType(main.type)} out`, term.span, {
      labels: ctx.b.expansionLabels(),
    });
  const stride = fitStride(i[2]!, o[2]!, i[3]!, o[3]!);
  if (stride === undefined)
    fail('E0601', `shortcut cannot be made to fit: the path changes ${i[2]}x${i[3]} to ${o[2]}x${o[3]}, which no integer stride does`, term.span, {
      labels: [{ span: main.origin, message: `the path gives ${formatType(main.type)}` }, ...ctx.b.expansionLabels()],
    });
  const name = label ? scope.qualify(label) : scope.next('downsample', false);
  return ctx.b.add('shortcut', name, [input], { out: o[1] as number, stride, policy }, term.span);
}

/** The smallest stride s with floor((in - 1) / s) + 1 == out in both spatial dimensions, if there is one. */
export function fitStride(ih: Dim, oh: Dim, iw: Dim, ow: Dim): number | undefined {
  if (typeof ih !== 'number' || typeof oh !== 'number' || typeof iw !== 'number' || typeof ow !== 'number') return undefined;
  if (oh < 1 || ow < 1 || oh > ih || ow > iw) return undefined;
  // the strides that fit one dimension are the integers in ((in - 1) / out, (in - 1) / (out - 1)]
  const lowest = (i: number, o: number) => Math.floor((i - 1) / o) + 1;
  const highest = (i: number, o: number) => (o === 1 ? Infinity : Math.floor((i - 1) / (o - 1)));
  const s = Math.max(lowest(ih, oh), lowest(iw, ow));
  return s <= Math.min(highest(ih, oh), highest(iw, ow)) ? s : undefined;
}

