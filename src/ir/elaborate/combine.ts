/**
 * Combinations: `A + B + ...` (a residual sum) and `A * B * ...` (a product, the gate of
 * squeeze-and-excitation). Every operand reads the combination's input; absent operands (by their
 * condition) drop out. In a sum, the operands after the first may be `shortcut` (resolved later by
 * policy), `identity` (the input itself, an error where the shapes differ), or a path of their own
 * (named `downsample` unless labelled). In a product, an unlabelled `identity` is the input itself
 * and the others broadcast ([N, C, 1, 1] over [N, C, H, W]).
 */
import type { Span } from '../../diagnostics/span.js';
import type { CallTerm, Combination, LayerStmt } from '../../parser/ast.js';
import { formatType, sameType, type Dim } from '../types.js';
import { fail } from './abort.js';
import type { Cursor, NameScope } from './context.js';
import { evalArgs, type Ctx, type Env } from './env.js';
import { present, sequence } from './items.js';

type ElabLayer = (ctx: Ctx, env: Env, stmt: LayerStmt, cur: Cursor, scope: NameScope) => Cursor;

export function elabCombination(ctx: Ctx, env: Env, t: Combination, input: Cursor, scope: NameScope, elab: ElabLayer): Cursor {
  const operands = t.operands.map((o) => present(ctx, env, o)).filter((o): o is LayerStmt => o !== undefined);
  const [first, ...rest] = operands;
  if (!first) return input;
  const main = isInput(env, first) ? input : elab(ctx, env, first, input, scope);
  let acc = main;
  for (const op of rest) {
    const other = t.op === '+' ? residualOperand(ctx, env, op, input, main, scope, elab) : isInput(env, op) ? input : elab(ctx, env, op, input, scope);
    const kind = t.op === '+' ? 'add' : 'mul';
    acc = ctx.b.add(kind, scope.next(kind, false), [acc, other], {}, t.span, () => [
      { span: first.span, message: `this gives ${formatType(main.type)}` },
      { span: op.span, message: `this gives ${formatType(other.type)}` },
    ]);
  }
  return acc;
}

/** An unlabelled `identity` operand without arguments (and not a variable of that name) is the input itself. */
function isInput(env: Env, op: LayerStmt): boolean {
  return op.term.kind === 'Call' && op.term.callee.name === 'identity' && !op.label && !env.variable('identity') && !op.term.args?.length;
}

/** A residual's other operand: `shortcut`, `identity`, or a path of its own (named `downsample` unless labelled). */
function residualOperand(ctx: Ctx, env: Env, op: LayerStmt, input: Cursor, main: Cursor, scope: NameScope, elab: ElabLayer): Cursor {
  const term = op.term;
  const label = op.label?.kind === 'Ident' ? op.label.name : undefined;
  if (term.kind === 'Call' && term.callee.name === 'shortcut' && !env.variable('shortcut')) return shortcut(ctx, env, term, label, op.label?.span, input, main, scope);
  if (term.kind === 'Call' && term.callee.name === 'identity' && !op.label && !env.variable('identity')) {
    if (term.args && term.args.length > 0) fail('E0103', 'identity takes no arguments', term.span);
    if (!input.poisoned && !main.poisoned && !sameType(input.type, main.type))
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
  if (op.label) return elab(ctx, env, op, input, scope);
  // an unlabelled path is labelled `downsample` (then `downsample2`...), as if written so; another term is its item 0
  const local = scope.nextLocal('downsample', false);
  if (term.kind === 'Path') return elab(ctx, env, { kind: 'Layer', span: op.span, label: { kind: 'Ident', name: local, span: op.span }, term }, input, scope);
  return elab(ctx, env, { kind: 'Layer', span: op.span, term }, input, sequence(ctx, scope, local));
}

function shortcut(ctx: Ctx, env: Env, term: CallTerm, label: string | undefined, labelSpan: Span | undefined, input: Cursor, main: Cursor, scope: NameScope): Cursor {
  const args = evalArgs(ctx, env, term.args ?? []);
  let policy = '';
  for (const a of args) {
    if ((a.name !== undefined && a.name !== 'policy') || a.value.kind !== 'policy' || args.length > 1)
      fail('E0109', 'shortcut takes one argument, the policy A, B, C or auto', a.span, { help: 'write shortcut, shortcut(A), shortcut(B), shortcut(C) or shortcut(auto)' });
    policy = a.value.v;
  }
  if (input.poisoned || main.poisoned) return input.poisoned ? input : main;
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
  if (label !== undefined) ctx.b.claimLabel(scope.qualify(label), labelSpan!);
  const name = label !== undefined ? scope.qualify(label) : scope.next('downsample', false);
  return ctx.b.add('shortcut', name, [input], { out: o[1] as number, stride, policy }, term.span, undefined, labelSpan);
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
