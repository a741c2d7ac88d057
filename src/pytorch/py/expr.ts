/**
 * Python expressions of the emitted code: values, names, arithmetic, comparisons, calls. Each is
 * printed with Python's precedence (the fewest parentheses) and can be evaluated here with
 * Python's semantics (evaluate.ts), so that the emitter checks, for every use of a block, that the
 * code it writes computes the value the compiler computed (slots.ts). Module constructors and
 * other calls that make no value are printed, never evaluated.
 */

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
