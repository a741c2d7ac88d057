/**
 * The built-in functions of expressions, with Python's exact semantics (torchvision computes its
 * channel counts in Python, and a spec must reproduce them to the unit):
 *
 *   round(x)                       nearest integer, ties to even (Python's round: round(2.5) == 2)
 *   floor(x), ceil(x)              the integer below / above
 *   int(x)                         truncation toward zero (Python's int(2.7) == 2, int(-2.7) == -2)
 *   min(a, b, ...), max(a, b, ...) an integer when every argument is one
 *   make_divisible(v, d, min = d)  torchvision's _make_divisible: the multiple of d nearest v, not
 *                                  below min, and not more than 10% below v:
 *                                  n = max(min, int(v + d / 2) // d * d); n + d if n < 0.9 v else n
 *
 * Arguments are positional; each must be a number.
 */
import type { Span } from '../../diagnostics/span.js';
import { fail } from './abort.js';
import { describe, intOf, isNumber, type BoundArg, type Value } from './values.js';

export interface BuiltinFunction {
  readonly name: string;
  /** How it is called, for the docs: `make_divisible(v, d, min = d)`. */
  readonly signature: string;
  readonly doc: string;
  call(args: readonly BoundArg[], span: Span): Value;
}

function numbers(name: string, args: readonly BoundArg[], min: number, max: number, span: Span): { v: number; int: boolean }[] {
  for (const a of args)
    if (a.name !== undefined) fail('E0104', `${name} takes its arguments by position, not by name (${a.name})`, a.span);
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    fail('E0103', `${name} takes ${want} argument${want === '1' ? '' : 's'}, found ${args.length}`, span);
  }
  return args.map((a) => {
    if (!isNumber(a.value)) fail('E0107', `${name} needs numbers, found ${describe(a.value)}`, a.span);
    return { v: a.value.v, int: a.value.kind === 'int' };
  });
}

/** Python's round(): to the nearest integer, ties to the even one. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** torchvision's _make_divisible(v, divisor, min_value). */
export function makeDivisible(v: number, divisor: number, minValue = divisor): number {
  let n = Math.max(minValue, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

function unary(name: string, doc: string, f: (x: number) => number): BuiltinFunction {
  return {
    name,
    signature: `${name}(x)`,
    doc,
    call(args, span) {
      const [x] = numbers(name, args, 1, 1, span);
      return intOf(f(x!.v), span);
    },
  };
}

function extreme(name: 'min' | 'max'): BuiltinFunction {
  return {
    name,
    signature: `${name}(a, b, ...)`,
    doc: `the ${name === 'min' ? 'smallest' : 'largest'} of its arguments (an integer when all are)`,
    call(args, span) {
      const xs = numbers(name, args, 2, Infinity, span);
      const v = (name === 'min' ? Math.min : Math.max)(...xs.map((x) => x.v));
      return xs.every((x) => x.int) ? intOf(v, span) : { kind: 'real', v };
    },
  };
}

const makeDivisibleFn: BuiltinFunction = {
  name: 'make_divisible',
  signature: 'make_divisible(v, d, min = d)',
  doc: "torchvision's `_make_divisible`: the multiple of d nearest v, not below min, and not more than 10% below v",
  call(args, span) {
    const [v, d, min] = numbers('make_divisible', args, 2, 3, span);
    if (!d!.int || d!.v < 1) fail('E0109', `the divisor of make_divisible must be a positive integer, found ${d!.v}`, args[1]!.span);
    return intOf(makeDivisible(v!.v, d!.v, min?.v ?? d!.v), span);
  },
};

export const builtinFunctions: ReadonlyMap<string, BuiltinFunction> = new Map(
  [
    unary('round', 'nearest integer, ties to even (as Python)', roundHalfEven),
    unary('floor', 'the integer below', Math.floor),
    unary('ceil', 'the integer above', Math.ceil),
    unary('int', 'truncation toward zero (as Python)', Math.trunc),
    extreme('min'),
    extreme('max'),
    makeDivisibleFn,
  ].map((f) => [f.name, f]),
);
