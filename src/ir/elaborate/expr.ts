/**
 * Evaluation of expressions. Arithmetic: `+ - *` of two integers is an integer; `/` is true
 * division (a real); `//` is floor division and `%` the remainder of floor division (integers when
 * both sides are). Comparisons give booleans; `and`, `or`, `not` take booleans and short-circuit.
 * Calls are built-in functions (functions.ts), or blocks and layers with arguments bound.
 */
import type { Span } from '../../diagnostics/span.js';
import type { Expr } from '../../parser/ast.js';
import type { DeclRef } from './scope.js';
import { resolveLayerName } from '../ops/index.js';
import { fail } from './abort.js';
import { builtinFunctions, type BuiltinFunction } from './functions.js';
import { describe, intOf, isNumber, realOf, type BoundArg, type NameLookup, type Value } from './values.js';

/** Evaluates a name used as a value: a variable, a declared block or network, a built-in layer, or a policy. */
function nameValue(name: string, env: NameLookup): Value | undefined {
  const v = env.variable(name);
  if (v) return v;
  const d = env.decl(name);
  if (d) return { kind: 'block', ref: d, bound: [] };
  if (resolveLayerName(name)) return { kind: 'layer', name, bound: [] };
  if (name === 'A' || name === 'B' || name === 'C') return { kind: 'policy', v: name };
  if (name === 'auto') return { kind: 'policy', v: '' };
  return undefined;
}

export interface Evaluator {
  env: NameLookup;
  /** Binds arguments to a block value (partial application is checked where the block is declared). */
  bindBlock(callee: DeclRef, args: BoundArg[]): Value;
  /** Reports an unknown name (with suggestions); never returns. */
  unknown(name: string, span: Span): never;
}

export function evalExpr(e: Expr, ev: Evaluator): Value {
  switch (e.kind) {
    case 'Int':
      if (!e.exact) fail('E0115', 'integer literal is too large (more than 2^53 - 1)', e.span);
      return { kind: 'int', v: e.value };
    case 'Float':
      return { kind: 'real', v: e.value };
    case 'Bool':
      return { kind: 'bool', v: e.value };
    case 'Name':
      return nameValue(e.name, ev.env) ?? ev.unknown(e.name, e.span);
    case 'Unary': {
      const x = evalExpr(e.operand, ev);
      if (e.op === 'not') return { kind: 'bool', v: !boolean(x, e.operand.span, 'not') };
      if (x.kind === 'int') return intOf(-x.v, e.span);
      if (x.kind === 'real') return { kind: 'real', v: -x.v };
      return fail('E0107', `cannot negate ${describe(x)}`, e.operand.span);
    }
    case 'Binary':
      return binary(e.op, evalExpr(e.left, ev), evalExpr(e.right, ev), e);
    case 'Compare':
      return compare(e.op, evalExpr(e.left, ev), evalExpr(e.right, ev), e);
    case 'Logical': {
      // short-circuit, as Python: `stride == 1 and in == out` never evaluates the right side needlessly
      const l = boolean(evalExpr(e.left, ev), e.left.span, e.op);
      if (e.op === 'and' ? !l : l) return { kind: 'bool', v: l };
      return { kind: 'bool', v: boolean(evalExpr(e.right, ev), e.right.span, e.op) };
    }
    case 'CallExpr':
      return callExpr(e, ev);
  }
}

function callExpr(e: Expr & { kind: 'CallExpr' }, ev: Evaluator): Value {
  const name = e.callee.name;
  const args = e.args.map((a) => ({ ...(a.name ? { name: a.name.name } : {}), value: evalExpr(a.value, ev), span: a.span }));
  const variable = ev.env.variable(name);
  const fn: BuiltinFunction | undefined = variable || ev.env.decl(name) ? undefined : builtinFunctions.get(name);
  if (fn) return fn.call(args, e.span);
  const base = variable ?? nameValue(name, ev.env);
  if (!base) return ev.unknown(name, e.callee.span);
  if (base.kind === 'block') return ev.bindBlock(base.ref, [...base.bound, ...args]);
  if (base.kind === 'layer') return { kind: 'layer', name: base.name, bound: [...base.bound, ...args] };
  return fail('E0107', `${name} is ${describe(base)}, not a block, layer or function that takes arguments`, e.callee.span);
}

function boolean(v: Value, sp: Span, op: string): boolean {
  if (v.kind !== 'bool') fail('E0107', `${op} needs true or false, found ${describe(v)}`, sp, { help: 'compare to make a condition: n == 1' });
  return v.v;
}

function binary(op: '+' | '-' | '*' | '/' | '//' | '%', l: Value, r: Value, e: Expr & { kind: 'Binary' }): Value {
  if (!isNumber(l)) return fail('E0107', `arithmetic needs numbers, found ${describe(l)}`, e.left.span);
  if (!isNumber(r)) return fail('E0107', `arithmetic needs numbers, found ${describe(r)}`, e.right.span);
  const [a, b] = [l.v, r.v];
  if ((op === '/' || op === '//' || op === '%') && b === 0) return fail('E0108', 'division by zero', e.span);
  const ints = l.kind === 'int' && r.kind === 'int';
  switch (op) {
    case '+':
      return ints ? intOf(a + b, e.span) : realOf(a + b, e.span);
    case '-':
      return ints ? intOf(a - b, e.span) : realOf(a - b, e.span);
    case '*':
      return ints ? intOf(a * b, e.span) : realOf(a * b, e.span);
    case '/':
      return realOf(a / b, e.span);
    case '//':
      return ints ? intOf(Math.floor(a / b), e.span) : realOf(Math.floor(a / b), e.span);
    case '%':
      return ints ? intOf(a - Math.floor(a / b) * b, e.span) : realOf(a - Math.floor(a / b) * b, e.span);
  }
}

function compare(op: '==' | '!=' | '<' | '<=' | '>' | '>=', l: Value, r: Value, e: Expr & { kind: 'Compare' }): Value {
  if (op === '==' || op === '!=') {
    const same = isNumber(l) && isNumber(r) ? l.v === r.v : sameValue(l, r);
    return { kind: 'bool', v: op === '==' ? same : !same };
  }
  if (!isNumber(l)) return fail('E0107', `${op} compares numbers, found ${describe(l)}`, e.left.span);
  if (!isNumber(r)) return fail('E0107', `${op} compares numbers, found ${describe(r)}`, e.right.span);
  const v = op === '<' ? l.v < r.v : op === '<=' ? l.v <= r.v : op === '>' ? l.v > r.v : l.v >= r.v;
  return { kind: 'bool', v };
}

function sameValue(l: Value, r: Value): boolean {
  if (l.kind !== r.kind) return false;
  switch (l.kind) {
    case 'bool':
    case 'policy':
      return l.v === (r as typeof l).v;
    case 'layer':
      return l.name === (r as typeof l).name && l.bound.length === 0 && (r as typeof l).bound.length === 0;
    case 'block':
      return l.ref.decl === (r as typeof l).ref.decl && l.bound.length === 0 && (r as typeof l).bound.length === 0;
    default:
      return false;
  }
}
