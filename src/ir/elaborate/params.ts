/**
 * Binding a call's arguments to a block's or network's parameters: positional ones fill the
 * parameters in order, skipping `in` when they are fewer than the parameters without defaults
 * (the caller left `in` out, so it is the incoming channels); named ones by name; defaults are
 * evaluated in order, so a default may use the parameters before it.
 */
import type { Span } from '../../diagnostics/span.js';
import type { Param } from '../../parser/ast.js';
import type { DeclRef } from './scope.js';
import { formatType } from '../types.js';
import { fail } from './abort.js';
import type { Cursor } from './context.js';
import { evalValue, makeEnv, paramHelp, type Ctx } from './env.js';
import { describe, wholeNumber, type BoundArg, type Value } from './values.js';

/** The variables of the body: every parameter bound to a value. */
export function bindParams(ctx: Ctx, ref: DeclRef, args: readonly BoundArg[], callSpan: Span, incoming: Cursor | undefined): Map<string, Value> {
  const decl = ref.decl;
  const what = decl.name.name;
  const params = decl.params;
  const incomingChannels = incoming && !incoming.poisoned ? channelsOf(incoming) : undefined;
  const given = new Map<string, BoundArg>();
  const positional = args.filter((a) => a.name === undefined);
  const required = params.filter((p) => p.default === undefined).length;
  const skipIn = positional.length < required && (incomingChannels !== undefined || incoming?.poisoned === true);
  const slots = params.filter((p) => !(p.name.name === 'in' && skipIn));
  positional.forEach((a, i) => {
    const p = slots[i];
    if (!p)
      fail('E0103', `${what} takes at most ${slots.length} positional argument${slots.length === 1 ? '' : 's'}, found ${positional.length}`, a.span, {
        labels: [{ span: decl.name.span, message: `${what} is defined here` }],
      });
    given.set(p.name.name, a);
  });
  const names = params.map((p) => p.name.name);
  for (const a of args) {
    if (a.name === undefined) continue;
    if (!names.includes(a.name)) fail('E0104', `${what} has no parameter named ${a.name}`, a.span, paramHelp(ref, a.name, names));
    const prev = given.get(a.name);
    // a later named argument (a call's own, or `with first`) overrides one bound by partial application
    if (prev && prev.name === undefined)
      fail('E0105', `parameter ${a.name} of ${what} is given twice`, a.span, { labels: [{ span: prev.span, message: 'first given here' }] });
    given.set(a.name, a);
  }
  const vars = new Map<string, Value>();
  for (const p of params) vars.set(p.name.name, paramValue(ctx, ref, p, given.get(p.name.name), vars, callSpan, incoming, incomingChannels));
  return vars;
}

function channelsOf(c: Cursor): number | undefined {
  const ch = c.type.shape[1];
  return c.type.shape.length >= 2 && typeof ch === 'number' ? ch : undefined;
}

function paramValue(
  ctx: Ctx,
  ref: DeclRef,
  p: Param,
  arg: BoundArg | undefined,
  vars: Map<string, Value>,
  callSpan: Span,
  incoming: Cursor | undefined,
  incomingChannels: number | undefined,
): Value {
  const what = ref.decl.name.name;
  const name = p.name.name;
  if (name === 'in' && incoming !== undefined) {
    // after an error the input's channels are unknown: a given `in` is taken as it is, a missing one is a placeholder
    if (incomingChannels === undefined) return arg?.value ?? { kind: 'int', v: 1 };
    if (!arg) return { kind: 'int', v: incomingChannels };
    if (wholeNumber(arg.value) !== incomingChannels)
      fail('E0114', `${what} is given in = ${wholeNumber(arg.value) ?? describe(arg.value)}, but its input has ${incomingChannels} channels`, arg.span, {
        labels: [{ span: incoming.origin, message: `the input, ${formatType(incoming.type)}, comes from here` }, ...ctx.b.expansionLabels()],
        help: 'leave `in` out to take the input channels, or change the layer before',
      });
    return arg.value;
  }
  if (arg) return arg.value;
  if (p.default) return evalValue(ctx, makeEnv(vars, ctx.scopes.get(ref.file.absPath)!), p.default);
  return fail('E0106', `${what} needs a value for its parameter ${name}`, callSpan, {
    labels: [{ span: p.span, message: 'the parameter is declared here' }, ...ctx.b.expansionLabels()],
  });
}
