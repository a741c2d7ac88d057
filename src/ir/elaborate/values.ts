/**
 * Compile-time values of the language: integers (exact, within
 * 2^53), reals (IEEE doubles, as Python's floats), booleans, blocks and built-in layers as values
 * (with arguments already bound, for partial application), and shortcut policies.
 * Where an integer is needed (a channel count, a repetition count), a real is accepted only when
 * it is a whole number (`wholeNumber`), so that a fractional channel count is an error, never a
 * silent floor. Expressions are evaluated in expr.ts.
 */
import type { Span } from '../../diagnostics/span.js';
import type { BlockDecl, NetworkDecl } from '../../parser/ast.js';
import type { DeclRef } from './scope.js';
import { fail } from './abort.js';

export interface BoundArg {
  name?: string;
  value: Value;
  span: Span;
}

export type Value =
  | { kind: 'int'; v: number }
  | { kind: 'real'; v: number }
  | { kind: 'bool'; v: boolean }
  | { kind: 'block'; ref: DeclRef & { decl: BlockDecl | NetworkDecl }; bound: BoundArg[] }
  /** A built-in layer as a value (`act = relu`, `conv1(bias = true)`), by the name written. */
  | { kind: 'layer'; name: string; bound: BoundArg[] }
  /** A shortcut policy; '' (written `auto`) follows the compile-wide `--shortcut`. */
  | { kind: 'policy'; v: 'A' | 'B' | 'C' | '' };

export function describe(v: Value): string {
  switch (v.kind) {
    case 'int':
      return `the integer ${v.v}`;
    case 'real':
      return `the number ${formatReal(v.v)}`;
    case 'bool':
      return `${v.v}`;
    case 'block':
      return `the ${v.ref.decl.kind === 'Block' ? 'block' : 'network'} ${v.ref.decl.name.name}`;
    case 'layer':
      return `the layer ${v.name}`;
    case 'policy':
      return `the shortcut policy ${v.v || 'auto'}`;
  }
}

/** A real as a user wrote it: 2.5, 1e-06, 256.0 (a whole number keeps its `.0`, so it reads as a real). */
export function formatReal(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e21 ? `${x}.0` : String(x);
}

/** How names in an expression are looked up: variables first, then declarations. */
export interface NameLookup {
  variable(name: string): Value | undefined;
  decl(name: string): DeclRef | undefined;
}

export function intOf(v: number, sp: Span): Value {
  if (!Number.isSafeInteger(v)) fail('E0115', `integer result ${v} is out of range (more than 2^53 - 1 in size)`, sp);
  return { kind: 'int', v };
}

export function realOf(v: number, sp: Span): Value {
  if (!Number.isFinite(v)) fail('E0115', 'result of arithmetic is not a finite number', sp);
  return { kind: 'real', v };
}

/** The integer a value stands for: an integer, or a real that is a whole number; undefined otherwise. */
export function wholeNumber(v: Value): number | undefined {
  if (v.kind === 'int') return v.v;
  if (v.kind === 'real' && Number.isSafeInteger(v.v)) return v.v;
  return undefined;
}

export function isNumber(v: Value): v is { kind: 'int' | 'real'; v: number } {
  return v.kind === 'int' || v.kind === 'real';
}
