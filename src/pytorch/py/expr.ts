/**
 * Python expressions of the emitted code: values, names, arithmetic, comparisons, calls. Each is
 * printed with Python's precedence (the fewest parentheses) and can be evaluated here with
 * Python's semantics (`/` is true division, `//` floors, `round` ties to even, `max` returns the
 * winning argument itself), so that the emitter checks, for every use of a block, that the code
 * it writes computes the value the compiler computed (slots.ts). Module constructors and other
 * calls that make no value are printed, never evaluated.
 */
import { makeDivisible, roundHalfEven } from '../../ir/elaborate/functions.js';

/** A Python value: a number (int or float), a flag, a string, a class (nn.ReLU), None or a list. */
export type PyValue =
  | { readonly t: 'int'; readonly v: number }
  | { readonly t: 'float'; readonly v: number }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'cls'; readonly v: string }
  | { readonly t: 'none' }
  | { readonly t: 'list'; readonly v: readonly PyValue[] };

export type BinOp = '+' | '-' | '*' | '/' | '//' | '%';
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type PyExpr =
  | { readonly k: 'lit'; readonly v: PyValue }
  | { readonly k: 'name'; readonly name: string }
  | { readonly k: 'unary'; readonly op: '-' | 'not'; readonly x: PyExpr }
  | { readonly k: 'bin'; readonly op: BinOp; readonly l: PyExpr; readonly r: PyExpr }
  | { readonly k: 'cmp'; readonly op: CmpOp; readonly l: PyExpr; readonly r: PyExpr }
  | { readonly k: 'logic'; readonly op: 'and' | 'or'; readonly l: PyExpr; readonly r: PyExpr }
  | { readonly k: 'cond'; readonly test: PyExpr; readonly then: PyExpr; readonly else: PyExpr }
  /** `fn(args, name=kwarg)`; fn is a dotted name (`nn.Conv2d`, `max`, `make_divisible`). */
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly PyExpr[]; readonly kwargs: readonly (readonly [string, PyExpr])[] }
  | { readonly k: 'list'; readonly items: readonly PyExpr[] }
  | { readonly k: 'tuple'; readonly items: readonly PyExpr[] }
  /** `*x` as a call argument. */
  | { readonly k: 'star'; readonly x: PyExpr }
  /** `(x for v in range(n))`. */
  | { readonly k: 'gen'; readonly x: PyExpr; readonly v: string; readonly range: readonly PyExpr[] }
  /** An f-string: literal text and expressions. */
  | { readonly k: 'fstr'; readonly parts: readonly (string | PyExpr)[] }
  /** Code written as it is (`self.block`), with its precedence taken as an atom's. */
  | { readonly k: 'raw'; readonly text: string };

// ---- construction -----------------------------------------------------------------------------

export const int = (v: number): PyExpr => ({ k: 'lit', v: { t: 'int', v } });
export const float = (v: number): PyExpr => ({ k: 'lit', v: { t: 'float', v } });
export const str = (v: string): PyExpr => ({ k: 'lit', v: { t: 'str', v } });
export const bool = (v: boolean): PyExpr => ({ k: 'lit', v: { t: 'bool', v } });
export const name = (n: string): PyExpr => ({ k: 'name', name: n });
export const raw = (text: string): PyExpr => ({ k: 'raw', text });
export const lit = (v: PyValue): PyExpr => ({ k: 'lit', v });
export const call = (fn: string, args: readonly PyExpr[] = [], kwargs: readonly (readonly [string, PyExpr])[] = []): PyExpr => ({ k: 'call', fn, args, kwargs });
export const bin = (op: BinOp, l: PyExpr, r: PyExpr): PyExpr => ({ k: 'bin', op, l, r });
export const cmp = (op: CmpOp, l: PyExpr, r: PyExpr): PyExpr => ({ k: 'cmp', op, l, r });
export const cond = (test: PyExpr, then: PyExpr, otherwise: PyExpr): PyExpr => ({ k: 'cond', test, then, else: otherwise });

// ---- printing ---------------------------------------------------------------------------------

/** Python's binding strength, weakest first (the language reference's precedence table). */
const enum Prec {
  Cond = 1,
  Or,
  And,
  Not,
  Cmp,
  Add,
  Mul,
  Unary,
  Atom,
}

const binPrec = (op: BinOp): Prec => (op === '+' || op === '-' ? Prec.Add : Prec.Mul);

function prec(e: PyExpr): Prec {
  switch (e.k) {
    case 'cond':
      return Prec.Cond;
    case 'logic':
      return e.op === 'or' ? Prec.Or : Prec.And;
    case 'unary':
      return e.op === 'not' ? Prec.Not : Prec.Unary;
    case 'cmp':
      return Prec.Cmp;
    case 'bin':
      return binPrec(e.op);
    case 'lit':
      // a negative number binds like a unary minus: (-1) ** 2, not -1 ** 2
      return (e.v.t === 'int' || e.v.t === 'float') && (e.v.v < 0 || Object.is(e.v.v, -0)) ? Prec.Unary : Prec.Atom;
    default:
      return Prec.Atom;
  }
}

/** `e` printed where an operand of strength `min` is needed: in parentheses when it binds weaker. */
function operand(e: PyExpr, min: Prec): string {
  const s = print(e);
  return prec(e) < min ? `(${s})` : s;
}

/** A float as Python's repr writes it: the shortest digits that read back, `1.0`, `0.0125`, `1e-06`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (!Number.isFinite(x)) return x > 0 ? "float('inf')" : "-float('inf')";
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const e = Number(exp);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (e < -4 || e >= 16) {
    const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${whole}.${frac || '0'}`;
}

/** A Python string literal, double-quoted. */
export function pyString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function printValue(v: PyValue): string {
  switch (v.t) {
    case 'int':
      return String(v.v);
    case 'float':
      return pyFloat(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'str':
      return pyString(v.v);
    case 'cls':
      return v.v;
    case 'none':
      return 'None';
    case 'list':
      return `[${v.v.map(printValue).join(', ')}]`;
  }
}

/** The expression's source text on one line. */
export function print(e: PyExpr): string {
  switch (e.k) {
    case 'lit':
      return printValue(e.v);
    case 'name':
      return e.name;
    case 'raw':
      return e.text;
    case 'unary':
      return e.op === 'not' ? `not ${operand(e.x, Prec.Not)}` : `-${operand(e.x, Prec.Unary)}`;
    case 'bin': {
      // left-associative: a right operand of the same strength needs parentheses (a - (b - c))
      const p = binPrec(e.op);
      return `${operand(e.l, p)} ${e.op} ${operand(e.r, p + 1)}`;
    }
    case 'cmp':
      // comparisons chain in Python (a < b < c): an operand that is one is parenthesized
      return `${operand(e.l, Prec.Cmp + 1)} ${e.op} ${operand(e.r, Prec.Cmp + 1)}`;
    case 'logic': {
      const p = e.op === 'or' ? Prec.Or : Prec.And;
      return `${operand(e.l, p)} ${e.op} ${operand(e.r, p + 1)}`;
    }
    case 'cond':
      return `${operand(e.then, Prec.Cond + 1)} if ${operand(e.test, Prec.Cond + 1)} else ${operand(e.else, Prec.Cond)}`;
    case 'call':
      return `${e.fn}(${callArgs(e).join(', ')})`;
    case 'list':
      return `[${e.items.map(print).join(', ')}]`;
    case 'tuple':
      return e.items.length === 1 ? `(${print(e.items[0]!)},)` : `(${e.items.map(print).join(', ')})`;
    case 'star':
      return `*${operand(e.x, Prec.Atom)}`;
    case 'gen':
      return `(${print(e.x)} for ${e.v} in range(${e.range.map(print).join(', ')}))`;
    case 'fstr':
      return `f${pyString(e.parts.map((p) => (typeof p === 'string' ? p.replace(/[{}]/g, (c) => c + c) : `{${print(p)}}`)).join(''))}`;
  }
}

/** A call's arguments, each printed: positional, then `name=value`. */
export function callArgs(e: PyExpr & { k: 'call' }): string[] {
  return [...e.args.map((a) => (a.k === 'gen' && e.args.length === 1 && e.kwargs.length === 0 ? print(a).slice(1, -1) : print(a))), ...e.kwargs.map(([k, v]) => `${k}=${print(v)}`)];
}

// ---- evaluation -------------------------------------------------------------------------------

/** Why an expression has no value here (an unknown name, a type Python would reject, division by zero). */
export class NoValue extends Error {}

export type PyEnv = ReadonlyMap<string, PyValue>;

const isNum = (v: PyValue): v is { t: 'int' | 'float'; v: number } => v.t === 'int' || v.t === 'float';

/** A number, with a Python bool counting as the int it is (True + 1 == 2). */
function number(v: PyValue): { t: 'int' | 'float'; v: number } {
  if (isNum(v)) return v;
  if (v.t === 'bool') return { t: 'int', v: v.v ? 1 : 0 };
  throw new NoValue(`not a number: ${printValue(v)}`);
}

function truthy(v: PyValue): boolean {
  switch (v.t) {
    case 'int':
    case 'float':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'str':
      return v.v !== '';
    case 'none':
      return false;
    case 'list':
      return v.v.length > 0;
    case 'cls':
      return true;
  }
}

function numeric(t: 'int' | 'float', v: number): PyValue {
  if (!Number.isFinite(v) || (t === 'int' && !Number.isSafeInteger(v))) throw new NoValue('out of range');
  return { t, v: t === 'int' ? v + 0 : v }; // an int has no negative zero
}

function arith(op: BinOp, l: PyValue, r: PyValue): PyValue {
  const a = number(l);
  const b = number(r);
  const t = a.t === 'int' && b.t === 'int' ? 'int' : 'float';
  if ((op === '/' || op === '//' || op === '%') && b.v === 0) throw new NoValue('division by zero');
  switch (op) {
    case '+':
      return numeric(t, a.v + b.v);
    case '-':
      return numeric(t, a.v - b.v);
    case '*':
      return numeric(t, a.v * b.v);
    case '/':
      return numeric('float', a.v / b.v);
    case '//':
      return numeric(t, divmod(t, a.v, b.v)[0]);
    case '%':
      return numeric(t, divmod(t, a.v, b.v)[1]);
  }
}

/** Python's divmod: exact for ints (BigInt), CPython's float_divmod (from fmod) for floats. */
function divmod(t: 'int' | 'float', a: number, b: number): [number, number] {
  if (t === 'int') {
    const [x, y] = [BigInt(a), BigInt(b)];
    let q = x / y;
    if (x % y !== 0n && (x < 0n) !== (y < 0n)) q -= 1n;
    return [Number(q), Number(x - q * y)];
  }
  let mod = a % b; // fmod
  let div = (a - mod) / b;
  if (mod) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  } else mod = b < 0 ? -0 : 0;
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else floordiv = a / b < 0 || Object.is(a / b, -0) ? -0 : 0;
  return [floordiv, mod];
}

/** Python's ==: numbers by value (1 == 1.0 == True), other values by kind and value. */
export function pyEqual(l: PyValue, r: PyValue): boolean {
  if ((isNum(l) || l.t === 'bool') && (isNum(r) || r.t === 'bool')) return number(l).v === number(r).v;
  if (l.t !== r.t) return false;
  if (l.t === 'list') return l.v.length === (r as typeof l).v.length && l.v.every((x, i) => pyEqual(x, (r as typeof l).v[i]!));
  if (l.t === 'none') return true;
  return (l as { v: unknown }).v === (r as { v: unknown }).v;
}

function compare(op: CmpOp, l: PyValue, r: PyValue): boolean {
  if (op === '==') return pyEqual(l, r);
  if (op === '!=') return !pyEqual(l, r);
  const a = number(l).v;
  const b = number(r).v;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** The built-in functions the translation of the spec's expressions calls (floor, ceil and make_divisible are the file's helpers). */
const functions: ReadonlyMap<string, (args: PyValue[]) => PyValue> = new Map<string, (args: PyValue[]) => PyValue>([
  [
    'round',
    ([x, ...rest]) => {
      if (rest.length) throw new NoValue('round with digits');
      const n = number(x!);
      return n.t === 'int' ? n : numeric('int', roundHalfEven(n.v));
    },
  ],
  ['int', ([x]) => numeric('int', Math.trunc(number(x!).v))],
  ['float', ([x]) => numeric('float', number(x!).v)],
  ['floor', ([x]) => numeric('int', Math.floor(number(x!).v))],
  ['ceil', ([x]) => numeric('int', Math.ceil(number(x!).v))],
  ['min', (xs) => extreme(xs, (a, b) => b < a)],
  ['max', (xs) => extreme(xs, (a, b) => b > a)],
  [
    'make_divisible',
    ([v, d, m]) => {
      const dv = number(d!);
      if (dv.t !== 'int' || dv.v < 1) throw new NoValue('divisor');
      return numeric('int', makeDivisible(number(v!).v, dv.v, m === undefined ? dv.v : number(m).v));
    },
  ],
]);

/** Python's min and max: the first argument that no later one beats, itself (its type kept). */
function extreme(xs: PyValue[], beats: (best: number, x: number) => boolean): PyValue {
  if (xs.length < 2) throw new NoValue('min/max of fewer than two');
  let best = xs[0]!;
  for (const x of xs.slice(1)) if (beats(number(best).v, number(x).v)) best = x;
  return best;
}

/** The value of `e` in `env`, by Python's rules; throws NoValue where Python has none to give. */
export function evaluate(e: PyExpr, env: PyEnv): PyValue {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'name': {
      const v = env.get(e.name);
      if (v === undefined) throw new NoValue(`unknown name ${e.name}`);
      return v;
    }
    case 'unary': {
      const x = evaluate(e.x, env);
      if (e.op === 'not') return { t: 'bool', v: !truthy(x) };
      const n = number(x);
      return numeric(n.t, -n.v);
    }
    case 'bin':
      return arith(e.op, evaluate(e.l, env), evaluate(e.r, env));
    case 'cmp':
      return { t: 'bool', v: compare(e.op, evaluate(e.l, env), evaluate(e.r, env)) };
    case 'logic': {
      // Python's and/or give an operand, not a flag
      const l = evaluate(e.l, env);
      return (e.op === 'and' ? !truthy(l) : truthy(l)) ? l : evaluate(e.r, env);
    }
    case 'cond':
      return truthy(evaluate(e.test, env)) ? evaluate(e.then, env) : evaluate(e.else, env);
    case 'call': {
      const f = functions.get(e.fn);
      if (!f || e.kwargs.length) throw new NoValue(`${e.fn}(...) is not evaluated`);
      return f(e.args.map((a) => evaluate(a, env)));
    }
    case 'list':
      return { t: 'list', v: e.items.map((x) => evaluate(x, env)) };
    default:
      throw new NoValue(`${print(e)} is not evaluated`);
  }
}

/** The value, or undefined where Python would have none. */
export function tryEvaluate(e: PyExpr, env: PyEnv): PyValue | undefined {
  try {
    return evaluate(e, env);
  } catch (err) {
    if (err instanceof NoValue) return undefined;
    throw err;
  }
}

/** The names an expression reads. */
export function namesOf(e: PyExpr, into = new Set<string>()): Set<string> {
  switch (e.k) {
    case 'name':
      into.add(e.name);
      break;
    case 'unary':
    case 'star':
      namesOf(e.x, into);
      break;
    case 'bin':
    case 'cmp':
    case 'logic':
      namesOf(e.l, into);
      namesOf(e.r, into);
      break;
    case 'cond':
      namesOf(e.test, into);
      namesOf(e.then, into);
      namesOf(e.else, into);
      break;
    case 'call':
      e.args.forEach((a) => namesOf(a, into));
      e.kwargs.forEach(([, a]) => namesOf(a, into));
      break;
    case 'list':
    case 'tuple':
      e.items.forEach((a) => namesOf(a, into));
      break;
    case 'gen':
      namesOf(e.x, into);
      e.range.forEach((a) => namesOf(a, into));
      break;
    case 'fstr':
      e.parts.forEach((p) => typeof p !== 'string' && namesOf(p, into));
      break;
    default:
      break;
  }
  return into;
}
