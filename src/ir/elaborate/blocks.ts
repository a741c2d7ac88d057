/**
 * Block calls: binding arguments to a block's parameters (positional, named, defaults evaluated
 * in order, `in` bound to the incoming channels when the caller leaves it out) and expanding the
 * block's body in a scope of its own.
 */
import type { Span } from '../../diagnostics/span.js';
import { limits } from '../../limits.js';
import type { LayerStmt, Param } from '../../parser/ast.js';
import type { DeclRef, FileScope } from '../../program/scope.js';
import { formatType } from '../types.js';
import { Abort, fail } from './abort.js';
import type { Cursor, NameScope } from './context.js';
import { makeEnv, type Ctx } from './env.js';
import { elabStmts, evalValue } from './layers.js';
import { describe, type BoundArg, type Value } from './values.js';

/** Partial application: a block value with more arguments bound (checked when it is called). */
export function bindBlock(_ctx: Ctx, ref: DeclRef, args: BoundArg[]): Value {
  const names = new Set(ref.decl.params.map((p) => p.name.name));
  for (const a of args)
    if (a.name !== undefined && !names.has(a.name))
      fail('E0104', `${ref.decl.name.name} has no parameter named ${a.name}`, a.span, {
        labels: [{ span: ref.decl.name.span, message: `${ref.decl.name.name} is defined here` }],
        help: `${ref.decl.name.name} takes ${[...names].join(', ') || 'no parameters'}`,
      });
  return { kind: 'block', ref, bound: args };
}

/**
 * Binds a call's arguments to parameters. Positional arguments fill the parameters in order,
 * skipping `in` when they are fewer than the parameters without defaults (the caller left `in`
 * out). Returns the variables of the body.
 */
export function bindParams(
  ctx: Ctx,
  ref: DeclRef,
  args: readonly BoundArg[],
  callSpan: Span,
  incomingChannels: number | undefined,
  incoming?: Cursor,
): Map<string, Value> {
  const decl = ref.decl;
  const what = decl.name.name;
  const params = decl.params;
  const given = new Map<string, BoundArg>();
  const positional = args.filter((a) => a.name === undefined);
  const required = params.filter((p) => p.default === undefined).length;
  const slots = params.filter((p) => !(p.name.name === 'in' && positional.length < required && incomingChannels !== undefined));
  positional.forEach((a, i) => {
    const p = slots[i];
    if (!p)
      fail('E0103', `${what} takes at most ${slots.length} positional argument${slots.length === 1 ? '' : 's'}, found ${positional.length}`, a.span, {
        labels: [{ span: decl.name.span, message: `${what} is defined here` }],
      });
    given.set(p.name.name, a);
  });
  for (const a of args) {
    if (a.name === undefined) continue;
    if (!params.some((p) => p.name.name === a.name))
      fail('E0104', `${what} has no parameter named ${a.name}`, a.span, {
        labels: [{ span: decl.name.span, message: `${what} is defined here` }],
        help: `${what} takes ${params.map((p) => p.name.name).join(', ') || 'no parameters'}`,
      });
    const prev = given.get(a.name);
    // a later named argument (a call's own, or `with first`) overrides one bound by partial application
    if (prev && prev.name === undefined)
      fail('E0105', `parameter ${a.name} of ${what} is given twice`, a.span, { labels: [{ span: prev.span, message: 'first given here' }] });
    given.set(a.name, a);
  }
  const vars = new Map<string, Value>();
  const scope = ctx.scopes.get(ref.file.absPath)!;
  for (const p of params) {
    vars.set(p.name.name, paramValue(ctx, ref, p, given.get(p.name.name), vars, scope, callSpan, incomingChannels, incoming));
  }
  return vars;
}

function paramValue(
  ctx: Ctx,
  ref: DeclRef,
  p: Param,
  arg: BoundArg | undefined,
  vars: Map<string, Value>,
  scope: FileScope,
  callSpan: Span,
  incomingChannels: number | undefined,
  incoming?: Cursor,
): Value {
  const what = ref.decl.name.name;
  const name = p.name.name;
  if (name === 'in' && incomingChannels !== undefined) {
    if (!arg) return { kind: 'int', v: incomingChannels };
    if (arg.value.kind !== 'int' || arg.value.v !== incomingChannels)
      fail('E0114', `${what} is given in = ${arg.value.kind === 'int' ? arg.value.v : describe(arg.value)}, but its input has ${incomingChannels} channels`, arg.span, {
        labels: [
          ...(incoming ? [{ span: incoming.origin, message: `the input, ${formatType(incoming.type)}, comes from here` }] : []),
          ...ctx.b.expansionLabels(),
        ],
        help: 'leave `in` out to take the input channels, or change the layer before',
      });
    return arg.value;
  }
  if (arg) return arg.value;
  if (p.default) return evalValue(ctx, makeEnv(vars, scope), p.default);
  return fail('E0106', `${what} needs a value for its parameter ${name}`, callSpan, {
    labels: [{ span: p.span, message: 'the parameter is declared here' }, ...ctx.b.expansionLabels()],
  });
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
    fail('E0403', `blocks call each other more than ${limits.maxCallDepth} deep`, callSpan, {
      labels: [{ span: stack[0]!.span, message: `the outermost call, of ${stack[0]!.name}` }],
      notes: [`the innermost calls: ... -> ${[...chain, name].join(' -> ')}`],
      help: stack.some((c) => c.name === name) ? `${name} calls itself: give the recursion an end, or write the repetition as \`x n\`` : undefined,
    });
  }
  const channels = cur.type.shape.length >= 2 && typeof cur.type.shape[1] === 'number' ? cur.type.shape[1] : undefined;
  const vars = bindParams(ctx, value.ref, [...value.bound, ...args], callSpan, channels, cur);
  stack.push({ span: callSpan, name });
  ctx.b.modules.set(scope.prefix, name);
  const env = makeEnv(vars, ctx.scopes.get(value.ref.file.absPath)!);
  for (const s of decl.body)
    if (s.kind !== 'Layer') fail('E0117', `${s.kind.toLowerCase()} statements belong in a network, not in a block`, s.span);
  try {
    return elabStmts(ctx, env, decl.body as LayerStmt[], cur, scope);
  } catch (e) {
    if (e instanceof Abort && e.diagnostic.code !== 'E0403') addCallSite(e, callSpan, name);
    throw e;
  } finally {
    stack.pop();
  }
}

/** An error inside an expansion also points at the call site (the innermost few, once each). */
function addCallSite(e: Abort, callSpan: Span, name: string): void {
  const labels = e.diagnostic.labels;
  const same = (l: { span: Span }) => l.span.file === callSpan.file && l.span.start === callSpan.start && l.span.end === callSpan.end;
  if (labels.some(same) || labels.filter((l) => l.message.startsWith('in this use of')).length >= 4) return;
  labels.push({ span: callSpan, message: `in this use of ${name}` });
}
