/**
 * Compile-time values of the language and the evaluation of argument expressions: integers
 * (exact, within 2^53), floats, booleans, blocks (with arguments already bound, for partial
 * application) and shortcut policies. `/` on integers is floor division.
 */
import type { Span } from '../../diagnostics/span.js';
import type { Expr, BlockDecl, NetworkDecl } from '../../parser/ast.js';
import type { DeclRef } from '../../program/scope.js';
import { fail } from './abort.js';

export interface BoundArg {
  name?: string;
  value: Value;
  span: Span;
}

export type Value =
  | { kind: 'int'; v: number }
  | { kind: 'float'; v: number }
  | { kind: 'bool'; v: boolean }
  | { kind: 'block'; ref: DeclRef & { decl: BlockDecl | NetworkDecl }; bound: BoundArg[] }
  /** A shortcut policy; '' (written `auto`) follows the compile-wide `--shortcut`. */
  | { kind: 'policy'; v: 'A' | 'B' | 'C' | '' };

export function describe(v: Value): string {
  switch (v.kind) {
    case 'int':
      return `the integer ${v.v}`;
    case 'float':
      return `the number ${v.v}`;
    case 'bool':
      return `${v.v}`;
    case 'block':
      return `the ${v.ref.decl.kind === 'Block' ? 'block' : 'network'} ${v.ref.decl.name.name}`;
    case 'policy':
      return `the shortcut policy ${v.v || 'auto'}`;
  }
}

/** How names in an expression are looked up: variables first, then declarations. */
export interface NameLookup {
  variable(name: string): Value | undefined;
  decl(name: string): DeclRef | undefined;
}

function intOf(v: number, sp: Span): Value {
  if (!Number.isSafeInteger(v)) fail('E0115', `integer result ${v} is out of range (more than 2^53 - 1 in size)`, sp);
  return { kind: 'int', v };
}

export function evalExpr(e: Expr, env: NameLookup, bindArgs: (callee: DeclRef, args: BoundArg[]) => Value): Value {
  switch (e.kind) {
    case 'Int':
      if (!e.exact) fail('E0115', 'integer literal is too large (more than 2^53 - 1)', e.span);
      return { kind: 'int', v: e.value };
    case 'Float':
      return { kind: 'float', v: e.value };
    case 'Bool':
      return { kind: 'bool', v: e.value };
    case 'Name': {
      const v = env.variable(e.name);
      if (v) return v;
      const d = env.decl(e.name);
      if (d) return { kind: 'block', ref: d, bound: [] };
      if (e.name === 'A' || e.name === 'B' || e.name === 'C') return { kind: 'policy', v: e.name };
      if (e.name === 'auto') return { kind: 'policy', v: '' };
      return fail('E0101', `unknown name ${e.name}`, e.span);
    }
    case 'Unary': {
      const x = evalExpr(e.operand, env, bindArgs);
      if (x.kind === 'int') return intOf(-x.v, e.span);
      if (x.kind === 'float') return { kind: 'float', v: -x.v };
      return fail('E0107', `cannot negate ${describe(x)}`, e.operand.span);
    }
    case 'Binary':
      return binary(e.op, evalExpr(e.left, env, bindArgs), evalExpr(e.right, env, bindArgs), e);
    case 'CallExpr': {
      const d = env.decl(e.callee.name);
      const v = env.variable(e.callee.name);
      const base = v ?? (d ? ({ kind: 'block', ref: d, bound: [] } as Value) : undefined);
      if (!base) return fail('E0101', `unknown name ${e.callee.name}`, e.callee.span);
      if (base.kind !== 'block') return fail('E0107', `${e.callee.name} is ${describe(base)}, not a block that takes arguments`, e.callee.span);
      const args = e.args.map((a) => ({
        ...(a.name ? { name: a.name.name } : {}),
        value: evalExpr(a.value, env, bindArgs),
        span: a.span,
      }));
      return bindArgs(base.ref, [...base.bound, ...args]);
    }
  }
}

function binary(op: '+' | '-' | '*' | '/' | '%', l: Value, r: Value, e: Expr & { kind: 'Binary' }): Value {
  const isNum = (x: Value) => x.kind === 'int' || x.kind === 'float';
  if (!isNum(l)) return fail('E0107', `arithmetic needs numbers, found ${describe(l)}`, e.left.span);
  if (!isNum(r)) return fail('E0107', `arithmetic needs numbers, found ${describe(r)}`, e.right.span);
  const a = (l as { v: number }).v;
  const b = (r as { v: number }).v;
  if ((op === '/' || op === '%') && b === 0) return fail('E0108', 'division by zero', e.span);
  if (l.kind === 'int' && r.kind === 'int') {
    switch (op) {
      case '+':
        return intOf(a + b, e.span);
      case '-':
        return intOf(a - b, e.span);
      case '*':
        return intOf(a * b, e.span);
      case '/':
        return intOf(Math.floor(a / b), e.span);
      case '%':
        return intOf(a - Math.floor(a / b) * b, e.span);
    }
  }
  const v = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b;
  if (!Number.isFinite(v)) return fail('E0115', 'result of arithmetic is not a finite number', e.span);
  return { kind: 'float', v };
}
