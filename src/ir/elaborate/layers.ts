/**
 * Elaboration of layer statements: built-in layers, block calls, paths, repetitions, conditions
 * and labels, each turned into IR nodes with inferred types and torchvision-style names.
 *
 * Names follow torch.nn: in a block (a `counters` scope) an unlabelled conv is `conv1`, `conv2`,
 * other layers `relu`, `relu2`, and a block call `basic1`; in a labelled path (a `sequential`
 * scope, like nn.Sequential) every item takes the next index: a layer or a block call is `0`, a
 * nested path is a nested Sequential (`0.0`, `0.1`), a repetition's items are `0`, `1`, ...; a label
 * names an item instead. An item absent by its condition takes no index.
 *
 * Each statement is elaborated on its own: an error is reported (once) and the statement's output
 * is poisoned, so that the statements after it are still checked (combine.ts, context.ts).
 */
import type { Span } from '../../diagnostics/span.js';
import { limits } from '../../limits.js';
import type { BlockDecl, CallTerm, Label, LayerStmt, Path, Repeat } from '../../parser/ast.js';
import { expansionKey, finishRecording, replay, startRecording } from './block-cache.js';
import { opDef, resolveLayerName } from '../ops/index.js';
import { Abort, fail } from './abort.js';
import { elabCombination } from './combine.js';
import { NameScope, poisoned, type Cursor } from './context.js';
import { evalArgs, evalValue, makeEnv, report, type Ctx, type Env } from './env.js';
import { labelText, present, sequence } from './items.js';
import { layerAttrs } from './layer-args.js';
import { bindParams } from './params.js';
import { unknownName } from './suggest.js';
import { describe, wholeNumber, type BoundArg, type Value } from './values.js';

export function elabStmts(ctx: Ctx, env: Env, items: readonly LayerStmt[], cur: Cursor, scope: NameScope): Cursor {
  for (const item of items) cur = elabStatement(ctx, env, item, cur, scope);
  return cur;
}

/** One statement with error recovery: its error is reported, and its output poisoned. */
export function elabStatement(ctx: Ctx, env: Env, stmt: LayerStmt, cur: Cursor, scope: NameScope): Cursor {
  try {
    return elabLayer(ctx, env, stmt, cur, scope);
  } catch (e) {
    if (!(e instanceof Abort)) throw e;
    report(ctx, e.diagnostic);
    return poisoned(stmt.span);
  }
}

export function elabLayer(ctx: Ctx, env: Env, stmt: LayerStmt, cur: Cursor, scope: NameScope): Cursor {
  const item = present(ctx, env, stmt);
  if (!item) return cur;
  const t = item.term;
  // a template label on a repetition names each item (`"block1-{i}": blk x n as i`)
  const perItem = item.label?.kind === 'Template' && t.kind === 'Repeat';
  const label = item.label && !perItem ? labelText(ctx, env, item.label) : undefined;
  const labelSpan = item.label?.span;
  if (label !== undefined) ctx.b.claimLabel(scope.qualify(label), labelSpan!);
  let out: Cursor;
  switch (t.kind) {
    case 'Call':
      out = elabCall(ctx, env, t, [], cur, scope, label, labelSpan);
      break;
    case 'Repeat':
      out = elabRepeat(ctx, env, t, cur, label !== undefined ? sequence(ctx, scope, label) : scope, perItem ? item.label : undefined);
      break;
    case 'Path':
      out = elabStmts(ctx, env, t.items, cur, label !== undefined ? sequence(ctx, scope, label) : pathScope(ctx, scope));
      break;
    case 'Combination':
      out = elabCombination(ctx, env, t, cur, scope.mode === 'sequential' ? scope.child(scope.nextLocal('', false), 'counters') : scope, elabLayer);
      break;
  }
  if (label !== undefined && scope.prefix === '') ctx.labelled.set(label, out);
  return out;
}

/** The scope of an unlabelled path: inline in a block, a nested Sequential in a sequence. */
function pathScope(ctx: Ctx, scope: NameScope): NameScope {
  return scope.mode === 'sequential' ? sequence(ctx, scope, scope.nextLocal('', false)) : scope;
}

/** Named arguments of `with first(...)` (or a call's own, over a value's bound ones) override the earlier. */
function mergeArgs(args: readonly BoundArg[], extra: readonly BoundArg[]): BoundArg[] {
  if (extra.length === 0) return [...args];
  const names = new Set(extra.filter((a) => a.name !== undefined).map((a) => a.name));
  return [...args.filter((a) => a.name === undefined || !names.has(a.name)), ...extra];
}

export function elabCall(ctx: Ctx, env: Env, term: CallTerm, extra: readonly BoundArg[], cur: Cursor, scope: NameScope, label?: string, labelSpan?: Span): Cursor {
  const name = term.callee.name;
  const args = mergeArgs(evalArgs(ctx, env, term.args ?? []), extra);
  const variable = env.variable(name);
  if (variable && variable.kind !== 'block' && variable.kind !== 'layer')
    fail('E0107', `${name} is ${describe(variable)}, not a layer or block`, term.callee.span);
  if (!variable && name === 'shortcut')
    fail('E0107', 'shortcut can only be an operand of a residual after the first', term.span, { help: 'write <conv3; bn> + shortcut' });
  const value: Value | undefined =
    variable ?? (env.decl(name) ? { kind: 'block', ref: env.decl(name)!, bound: [] } : resolveLayerName(name) ? { kind: 'layer', name, bound: [] } : undefined);
  if (!value) return unknownName(name, term.callee.span, env, 'layer or block');
  if (value.kind === 'layer') return callLayer(ctx, env, value, args, term.span, cur, scope, label, labelSpan);
  if (value.kind !== 'block') throw new Error('internal: a call of a value that is not a block or layer');
  const local = label ?? scope.nextLocal(value.ref.decl.name.name, true);
  return callBlock(ctx, value, args, term.span, cur, new NameScope(scope.qualify(local), 'counters'));
}

function callLayer(ctx: Ctx, env: Env, value: Value & { kind: 'layer' }, args: BoundArg[], sp: Span, cur: Cursor, scope: NameScope, label?: string, labelSpan?: Span): Cursor {
  const use = resolveLayerName(value.name)!;
  const inChannels = !cur.poisoned && typeof cur.type.shape[1] === 'number' ? cur.type.shape[1] : undefined;
  const attrs = layerAttrs(value.name, use, mergeArgs(value.bound, args), sp, {
    ...(env.blockOut !== undefined ? { blockOut: env.blockOut } : {}),
    ...(inChannels !== undefined ? { inChannels } : {}),
  });
  const nodeName = label !== undefined ? scope.qualify(label) : scope.next(use.op, opDef(use.op).naming === 'numbered');
  return ctx.b.add(use.op, nodeName, [cur], attrs, sp, undefined, labelSpan);
}

/** Expands a block at a call site: binds parameters and elaborates the body under `scope`. */
export function callBlock(ctx: Ctx, value: Value & { kind: 'block' }, args: BoundArg[], callSpan: Span, cur: Cursor, scope: NameScope): Cursor {
  const decl = value.ref.decl;
  const name = decl.name.name;
  if (decl.kind !== 'Block')
    fail('E0107', `${name} is a network and cannot be used as a layer`, callSpan, { labels: [{ span: decl.name.span, message: 'defined here' }] });
  const stack = ctx.b.callStack;
  if (stack.length >= limits.maxCallDepth) {
    const chain = stack.slice(-6).map((c) => c.name);
    const recursive = stack.some((c) => c.name === name);
    fail('E0403', `blocks call each other more than ${limits.maxCallDepth} deep`, callSpan, {
      labels: [{ span: stack[0]!.span, message: `the outermost call, of ${stack[0]!.name}` }],
      notes: [`the innermost calls: ... -> ${[...chain, name].join(' -> ')}`],
      help: recursive ? `${name} calls itself without end: make the call conditional (\`${name}(n - 1) if n > 1\`), or write the repetition as \`x n\`` : undefined,
    });
  }
  const misplaced = decl.body.find((s) => s.kind !== 'Layer');
  if (misplaced) fail('E0118', `${misplaced.kind.toLowerCase()} statements belong in a network, not in a block`, misplaced.span);
  const vars = bindParams(ctx, value.ref, [...value.bound, ...args], callSpan, cur);
  // after an error the input's shape is unknown: the arguments are checked, the body is not expanded
  if (cur.poisoned) return cur;
  stack.push({ span: callSpan, name });
  ctx.b.deepest = Math.max(ctx.b.deepest, stack.length);
  ctx.b.setModule(scope.prefix, name);
  try {
    return expandBlock(ctx, decl, vars, cur, scope, () => elabStmts(ctx, makeEnv(vars, ctx.scopes.get(value.ref.file.absPath)!), decl.body as LayerStmt[], cur, scope));
  } finally {
    stack.pop();
  }
}

/** A block's body under `scope`: a copy of an earlier expansion with the same key, or elaborated (and recorded) now. */
function expandBlock(ctx: Ctx, decl: BlockDecl, vars: ReadonlyMap<string, Value>, cur: Cursor, scope: NameScope, elaborate: () => Cursor): Cursor {
  const cache = ctx.b.expansions;
  if (!cache) return elaborate();
  const key = expansionKey(vars, cur.type);
  let byKey = cache.get(decl);
  const earlier = byKey?.get(key);
  const copied = earlier && replay(ctx.b, earlier, scope.prefix, cur);
  if (copied) {
    ctx.b.reused++;
    return copied;
  }
  const start = startRecording(ctx.b);
  let out: Cursor | undefined;
  try {
    out = elaborate();
    return out;
  } finally {
    const recorded = finishRecording(ctx.b, start, scope.prefix, cur, out);
    if (recorded && !earlier) {
      if (!byKey) cache.set(decl, (byKey = new Map()));
      byKey.set(key, recorded);
    }
  }
}

function elabRepeat(ctx: Ctx, env: Env, t: Repeat, cur: Cursor, scope: NameScope, itemLabel: Label | undefined): Cursor {
  const count = evalValue(ctx, env, t.count);
  const n = wholeNumber(count);
  if (n === undefined) return fail('E0107', `a repetition count must be an integer, found ${describe(count)}`, t.count.span);
  if (n < 0) fail('E0109', `a repetition count must be at least 0, found ${n}`, t.count.span);
  if (n > limits.maxRepeat) fail('E0401', `repetition count ${n} is more than the limit of ${limits.maxRepeat}`, t.count.span);
  if (t.first && t.body.kind !== 'Call')
    fail('E0109', '`with first(...)` needs a repeated block or layer, not a path', t.first.span, { help: 'write blk(64) x 3 with first(stride = 2)' });
  for (let i = 0; i < n; i++) {
    const before = ctx.b.nodes.length;
    const paramsBefore = ctx.b.paramCount;
    const itemEnv = t.index ? env.with(t.index.name, { kind: 'int', v: i }) : env;
    const label = itemLabel ? labelText(ctx, itemEnv, itemLabel) : undefined;
    if (label !== undefined) ctx.b.claimLabel(scope.qualify(label), itemLabel!.span);
    cur = t.body.kind === 'Call' ? repeatCall(ctx, itemEnv, t, i, cur, scope, label, itemLabel?.span) : repeatPath(ctx, itemEnv, t.body, cur, scope, label);
    if (cur.poisoned) break; // reported once; the other items would only repeat it
    // Every item after the first (or after `with first`'s) expands to as many layers and
    // parameters as this one: stop now when they cannot all fit, not after building them.
    if (i === 0 && t.first) continue;
    const per = ctx.b.nodes.length - before;
    if (per > 0 && before + per * (n - i) > limits.maxNodes)
      fail('E0405', `the network has more than ${limits.maxNodes} layers`, t.count.span, {
        notes: [`this repetition would make about ${(per * n).toLocaleString('en-US')} layers`],
        labels: ctx.b.expansionLabels(),
      });
    const perParams = ctx.b.paramCount - paramsBefore;
    if (perParams > 0 && paramsBefore + perParams * (n - i) > limits.maxParams)
      fail('E0406', `the network has more than ${limits.maxParams} parameters`, t.count.span, {
        notes: [`this repetition would hold about ${(perParams * n).toLocaleString('en-US')} parameters`],
        labels: ctx.b.expansionLabels(),
      });
  }
  return cur;
}

function repeatCall(ctx: Ctx, env: Env, t: Repeat, i: number, cur: Cursor, scope: NameScope, label: string | undefined, labelSpan: Span | undefined): Cursor {
  const first = i === 0 && t.first ? evalArgs(ctx, env, t.first.args) : [];
  return elabCall(ctx, env, t.body as CallTerm, first, cur, scope, label, labelSpan);
}

function repeatPath(ctx: Ctx, env: Env, body: Path, cur: Cursor, scope: NameScope, label: string | undefined): Cursor {
  return elabStmts(ctx, env, body.items, cur, label !== undefined ? sequence(ctx, scope, label) : pathScope(ctx, scope));
}
