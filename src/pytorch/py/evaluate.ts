/**
 * Python expressions evaluated here with Python's semantics (`/` is true division, `//` floors,
 * `round` ties to even, `max` returns the winning argument itself, CPython's float divmod), so that
 * the emitter can check that the code it writes computes the value the compiler computed.
 */
import { makeDivisible, roundHalfEven } from '../../ir/elaborate/functions.js';
import { print, printValue, type BinOp, type CmpOp, type PyExpr, type PyValue } from './expr.js';

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
