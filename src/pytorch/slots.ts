/**
 * Slots: each value the emitted code computes (a conv's channels, a flag, a block's argument) is
 * written as an expression that gives, in every use of the block, the value the compiler computed
 * for that use. A slot holds those values (its samples: the class's variables in one use, and the
 * value wanted there) and the candidate expressions, best first, all from the spec: what it wrote,
 * the op's rule for a default, the channels flowing in. The first candidate that gives every
 * sample's value is taken; else a literal, when all uses agree; else the value cannot be written
 * (E0901). A variable that only happens to hold the value in every use is never taken: the class
 * would be right for this network and wrong for the block.
 *
 * In the network's class (one use, nothing varies) every slot is a literal.
 */
import type { Span } from '../diagnostics/span.js';
import { unsupported } from './errors.js';
import * as py from './py/expr.js';
import { print, type PyExpr, type PyValue } from './py/expr.js';
import { namesOf, pyEqual, tryEvaluate, type PyEnv } from './py/evaluate.js';

export type SlotType = 'int' | 'float' | 'bool' | 'str' | 'ints' | 'cls';

export interface SlotSample {
  readonly env: PyEnv;
  readonly want: PyValue;
}

export interface Slot {
  /** What it is, for a message: `the stride of conv2`. */
  readonly what: string;
  readonly type: SlotType;
  readonly samples: readonly SlotSample[];
  /** Candidates, best first (undefined ones, which had no Python form, are skipped). */
  readonly candidates: readonly (PyExpr | undefined)[];
  /** Where in the spec, for a message. */
  readonly span?: Span | undefined;
}

/** How a value compares with the wanted one: equal, equal once made an int (a whole float), or not. */
function fits(type: SlotType, got: PyValue, want: PyValue): 'yes' | 'int' | 'no' {
  switch (type) {
    case 'int':
      if (want.t !== 'int') return 'no';
      if (got.t === 'int' && got.v === want.v) return 'yes';
      return got.t === 'float' && got.v === want.v ? 'int' : 'no';
    case 'float':
      return (got.t === 'float' || got.t === 'int') && (want.t === 'float' || want.t === 'int') && got.v === want.v ? 'yes' : 'no';
    case 'ints':
      return got.t === 'list' && want.t === 'list' && pyEqual(got, want) && got.v.every((x) => x.t === 'int') ? 'yes' : 'no';
    default:
      return got.t === want.t && pyEqual(got, want) ? 'yes' : 'no';
  }
}

/** Whether `e` gives every sample's value: 'yes', 'int' (once wrapped in int()), or 'no'. */
export function check(type: SlotType, e: PyExpr, samples: readonly SlotSample[]): 'yes' | 'int' | 'no' {
  let result: 'yes' | 'int' = 'yes';
  for (const s of samples) {
    const got = tryEvaluate(e, s.env);
    const f = got === undefined ? 'no' : fits(type, got, s.want);
    if (f === 'no') return 'no';
    if (f === 'int') result = 'int';
  }
  return result;
}

/** A literal of the slot's type (a float written 1.0, never 1). */
export function literal(type: SlotType, v: PyValue): PyExpr {
  if (type === 'float' && (v.t === 'int' || v.t === 'float')) return py.float(v.v);
  if (type === 'int' && v.t === 'float') return py.int(v.v);
  return py.lit(v);
}

const isNumberLit = (e: PyExpr, n: number) => e.k === 'lit' && (e.v.t === 'int' || e.v.t === 'float') && e.v.v === n;

/**
 * A candidate made plainer: parts without names computed (`(3 - 1) // 2` is 1), `1 * x` and
 * `x * 1` as `x`, `x + 0` as `x`. The result gives the same value wherever the original does.
 */
export function simplify(e: PyExpr): PyExpr {
  switch (e.k) {
    case 'bin': {
      const l = simplify(e.l);
      const r = simplify(e.r);
      if (e.op === '*' && isNumberLit(l, 1) && !(l.k === 'lit' && l.v.t === 'float')) return r;
      if ((e.op === '*' || e.op === '//') && isNumberLit(r, 1) && !(r.k === 'lit' && r.v.t === 'float')) return l;
      if ((e.op === '+' || e.op === '-') && isNumberLit(r, 0) && !(r.k === 'lit' && r.v.t === 'float')) return l;
      return fold({ ...e, l, r });
    }
    case 'unary':
      return fold({ ...e, x: simplify(e.x) });
    case 'cond': {
      const test = simplify(e.test);
      const then = simplify(e.then);
      const other = simplify(e.else);
      if (print(then) === print(other)) return then;
      if (test.k === 'lit' && test.v.t === 'bool') return test.v.v ? then : other;
      // `a if a != b else b` is a, `b if a == b else a` is a: the branches are the compared values
      if (test.k === 'cmp' && (test.op === '==' || test.op === '!=')) {
        const sides = [print(test.l), print(test.r)];
        if (sides.includes(print(then)) && sides.includes(print(other)) && print(then) !== print(other)) return test.op === '!=' ? then : other;
      }
      return { ...e, test, then, else: other };
    }
    case 'call':
      return e.fn === 'int' || e.fn === 'round' || e.fn === 'min' || e.fn === 'max' ? fold({ ...e, args: e.args.map(simplify) }) : e;
    default:
      return e;
  }
}

const negated: Readonly<Record<string, string>> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

/**
 * `e` where `test` is known to be `truth` (inside the branch it guards): the test, and the
 * comparison that negates it, replaced by the flag they are, then simplified.
 */
export function assume(e: PyExpr, test: PyExpr, truth: boolean): PyExpr {
  const t = print(test);
  const neg = test.k === 'cmp' ? print(py.cmp(negated[test.op] as py.CmpOp, test.l, test.r)) : undefined;
  const walk = (x: PyExpr): PyExpr => {
    const text = print(x);
    if (text === t) return py.bool(truth);
    if (text === neg) return py.bool(!truth);
    switch (x.k) {
      case 'unary':
        return { ...x, x: walk(x.x) };
      case 'bin':
      case 'cmp':
      case 'logic':
        return { ...x, l: walk(x.l), r: walk(x.r) };
      case 'cond':
        return { ...x, test: walk(x.test), then: walk(x.then), else: walk(x.else) };
      default:
        return x;
    }
  };
  return simplify(walk(e));
}

/** An expression without names, as the literal it computes (ints only: a float's text would change). */
function fold(e: PyExpr): PyExpr {
  if (namesOf(e).size > 0) return e;
  const v = tryEvaluate(e, new Map());
  return v?.t === 'int' ? py.int(v.v) : e;
}

export interface ResolveOptions {
  /** The network's class: every slot is a literal. */
  readonly concrete: boolean;
}

/** The expression for a slot (see the header); throws Unsupported when there is none. */
export function resolve(slot: Slot, opts: ResolveOptions): PyExpr {
  const first = slot.samples[0];
  if (!first) throw new Error(`internal: ${slot.what} has no samples`);
  const same = slot.samples.every((s) => pyEqual(s.want, first.want) && s.want.t === first.want.t);
  if (opts.concrete) {
    if (!same) throw new Error(`internal: ${slot.what} differs within the network's class`);
    return literal(slot.type, first.want);
  }
  for (const c of slot.candidates) {
    if (c === undefined) continue;
    const e = simplify(c);
    const f = check(slot.type, e, slot.samples);
    if (f === 'yes') return e;
    if (f === 'int') return py.call('int', [e]);
  }
  if (same) return literal(slot.type, first.want);
  const seen = [...new Set(slot.samples.map((s) => py.printValue(s.want)))].slice(0, 4).join(', ');
  throw unsupported(`the PyTorch backend cannot write ${slot.what} as an expression of the block's parameters: it is ${seen} in different uses`, slot.span, 'write the value as an argument of the block');
}
