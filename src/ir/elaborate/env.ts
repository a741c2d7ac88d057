/**
 * The environment of a block or network body (its bound parameters, repetition indices, and the
 * declarations its file sees), what every elaboration step of one network shares (Ctx), and
 * the evaluation of argument expressions in an environment.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import type { Arg, Expr } from '../../parser/ast.js';
import type { DeclRef, FileScope } from './scope.js';
import { fail } from './abort.js';
import type { Cursor, GraphBuilder } from './context.js';
import { evalExpr, type Evaluator } from './expr.js';
import { closest, unknownName } from './suggest.js';
import type { BoundArg, NameLookup, Value } from './values.js';

export interface Env extends NameLookup {
  readonly vars: ReadonlyMap<string, Value>;
  readonly scope: FileScope;
  /** The `out` parameter of the enclosing block, if it is an integer. */
  readonly blockOut: number | undefined;
  /** This environment with one more variable (a repetition's index). */
  with(name: string, value: Value): Env;
}

export function makeEnv(vars: ReadonlyMap<string, Value>, scope: FileScope): Env {
  const out = vars.get('out');
  return {
    vars,
    scope,
    blockOut: out && (out.kind === 'int' || (out.kind === 'real' && Number.isSafeInteger(out.v))) ? out.v : undefined,
    variable: (name) => vars.get(name),
    decl: (name): DeclRef | undefined => scope.get(name),
    with: (name, value) => makeEnv(new Map([...vars, [name, value]]), scope),
  };
}

/** What every elaboration step shares for one network. */
export interface Ctx {
  readonly b: GraphBuilder;
  readonly scopes: ReadonlyMap<string, FileScope>;
  /** Outputs of labelled layers at network level, for `output NAME = LABEL`. */
  readonly labelled: Map<string, Cursor>;
  /** Diagnostics of the statements that failed; elaboration goes on after each. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Records a diagnostic once (a mistake in a block is found again at each use of the block), with
 * the call sites of the blocks being expanded where it was found.
 */
export function report(ctx: Ctx, d: Diagnostic): void {
  ctx.b.reports++;
  const same = (o: Diagnostic) =>
    o.code === d.code && o.message === d.message && o.span?.file === d.span?.file && o.span?.start === d.span?.start && o.span?.end === d.span?.end;
  if (ctx.diagnostics.some(same)) return;
  if (d.code !== 'E0403') {
    const has = (sp: Span) => d.labels.some((l) => l.span.file === sp.file && l.span.start === sp.start && l.span.end === sp.end);
    const calls = d.labels.filter((l) => l.message.startsWith('in this use of')).length;
    for (const l of ctx.b.expansionLabels().slice(0, Math.max(0, 4 - calls))) if (!has(l.span)) d.labels.push(l);
  }
  ctx.diagnostics.push(d);
}

function evaluator(ctx: Ctx, env: Env): Evaluator {
  return {
    env,
    bindBlock: (ref, args) => bindBlock(ctx, ref, args),
    unknown: (name, sp) => unknownName(name, sp, env, 'name'),
  };
}

export function evalValue(ctx: Ctx, env: Env, e: Expr): Value {
  return evalExpr(e, evaluator(ctx, env));
}

export function evalArgs(ctx: Ctx, env: Env, args: readonly Arg[]): BoundArg[] {
  return args.map((a) => ({ ...(a.name ? { name: a.name.name } : {}), value: evalValue(ctx, env, a.value), span: a.span }));
}

/** Partial application: a block value with more arguments bound (named ones checked now, the rest when it is called). */
export function bindBlock(_ctx: Ctx, ref: DeclRef, args: BoundArg[]): Value {
  const names = ref.decl.params.map((p) => p.name.name);
  for (const a of args)
    if (a.name !== undefined && !names.includes(a.name)) fail('E0104', `${ref.decl.name.name} has no parameter named ${a.name}`, a.span, paramHelp(ref, a.name, names));
  return { kind: 'block', ref, bound: args };
}

/** The labels and help of an unknown-parameter error: where the block is, and the closest parameter. */
export function paramHelp(ref: DeclRef, given: string, names: readonly string[]) {
  const what = ref.decl.name.name;
  const near = closest(given, names);
  return {
    labels: [{ span: ref.decl.name.span, message: `${what} is defined here` }],
    help: near ? `${what} has a parameter named \`${near}\` (it takes ${names.join(', ')})` : `${what} takes ${names.join(', ') || 'no parameters'}`,
  };
}
