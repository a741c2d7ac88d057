/**
 * The Python expressions of the emitter against Python itself: 400 seeded random expressions
 * (arithmetic, comparisons, and/or/not, conditionals, round/int/min/max/make_divisible/floor/ceil,
 * ints, floats and flags, negative literals), each printed by print() and evaluated by evaluate();
 * Python parses each text back to the same text (ast.unparse writes the fewest parentheses, so
 * print() writes no extra ones and none too few) and computes the same value of the same type,
 * or fails where evaluate() does. Floats are written as Python's repr writes them.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as py from '../../src/pytorch/py/expr.js';
import { print, pyFloat, type PyExpr, type PyValue } from '../../src/pytorch/py/expr.js';
import { evaluate, NoValue } from '../../src/pytorch/py/evaluate.js';
import { layout, lineWidth } from '../../src/pytorch/py/format.js';
import { preludeFunctions } from '../../src/pytorch/prelude.js';
import { describeWithTorch, python } from '../helpers/torch-fixtures.js';

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const env = new Map<string, PyValue>([
  ['a', { t: 'int', v: 7 }],
  ['b', { t: 'int', v: -3 }],
  ['c', { t: 'float', v: 2.5 }],
  ['d', { t: 'float', v: 0.1 }],
  ['f', { t: 'bool', v: true }],
]);

function randomExpr(r: () => number, depth: number): PyExpr {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  if (depth === 0 || r() < 0.25) {
    const k = r();
    if (k < 0.4) return py.name(pick(['a', 'b', 'c', 'd', 'f']));
    if (k < 0.7) return py.int(Math.floor(r() * 21) - 10);
    // (not 1e20: its int() is beyond 2^53, where this evaluator stops and Python's ints go on)
    if (k < 0.9) return py.float(pick([0.5, 1.5, -2.25, 1e-6, 3.0, 0.1, 1e5]));
    return py.bool(r() < 0.5);
  }
  const sub = () => randomExpr(r, depth - 1);
  const k = r();
  if (k < 0.45) return py.bin(pick(['+', '-', '*', '/', '//', '%'] as const), sub(), sub());
  if (k < 0.6) return py.cmp(pick(['==', '!=', '<', '<=', '>', '>='] as const), sub(), sub());
  if (k < 0.7) return { k: 'logic', op: pick(['and', 'or'] as const), l: sub(), r: sub() };
  if (k < 0.77) return { k: 'unary', op: pick(['-', 'not'] as const), x: sub() };
  if (k < 0.84) return py.cond(sub(), sub(), sub());
  const fn = pick(['round', 'int', 'min', 'max', 'make_divisible', 'floor', 'ceil']);
  return py.call(fn, fn === 'min' || fn === 'max' ? [sub(), sub()] : fn === 'make_divisible' ? [sub(), py.int(8)] : [sub()]);
}

/** The expression with every operation in parentheses: the tree, unambiguously. */
function full(e: PyExpr): string {
  switch (e.k) {
    case 'bin':
    case 'cmp':
    case 'logic':
      return `(${full(e.l)} ${e.op} ${full(e.r)})`;
    case 'unary':
      return e.op === 'not' ? `(not ${full(e.x)})` : `(-${full(e.x)})`;
    case 'cond':
      return `(${full(e.then)} if ${full(e.test)} else ${full(e.else)})`;
    case 'call':
      return `${e.fn}(${e.args.map(full).join(', ')})`;
    default:
      return `(${print(e)})`;
  }
}

const valueText = (v: PyValue | undefined) => (v === undefined ? 'error' : v.t === 'int' || v.t === 'float' || v.t === 'bool' ? `${v.t} ${py.printValue(v)}` : `other`);

// Python evaluates the expressions with the helpers exactly as the emitted files define them
const checker = String.raw`
import ast, json, sys
${preludeFunctions(new Set(['make_divisible', 'floor', 'ceil'])).join('\n')}
env = dict(a=7, b=-3, c=2.5, d=0.1, f=True, make_divisible=make_divisible, floor=floor, ceil=ceil)
class Flat(ast.NodeTransformer):
    # a and b and c is one BoolOp of three; (a and b) and c two of two: the same value
    def visit_BoolOp(self, node):
        self.generic_visit(node)
        values = []
        for v in node.values:
            values.extend(v.values if isinstance(v, ast.BoolOp) and type(v.op) is type(node.op) else [v])
        node.values = values
        return node
tree = lambda t: ast.dump(Flat().visit(ast.parse(t, mode='eval')))
out = []
for text, full in json.load(sys.stdin):
    same = tree(text) == tree(full)
    try:
        v = eval(text, dict(env))
        kind = 'bool' if isinstance(v, bool) else 'int' if isinstance(v, int) else 'float' if isinstance(v, float) else 'other'
        value = kind + ' ' + repr(v) if kind != 'other' else 'other'
        if kind == 'int' and abs(v) > 2 ** 53 - 1 or kind == 'float' and v != v:
            value = 'error'
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        value = 'error'
    out.append([same, value])
print(json.dumps(out))
`;

describe('Python expressions', () => {
  it('writes floats as repr does', () => {
    expect([1, 0.5, 1e-6, 1.5e-7, 1e16, 123456789012345680000, 0.1, 100, 1e-5, 2.5e-5, -0.0125].map(pyFloat)).toEqual([
      '1.0', '0.5', '1e-06', '1.5e-07', '1e+16', '1.2345678901234568e+20', '0.1', '100.0', '1e-05', '2.5e-05', '-0.0125',
    ]);
  });

  it('lays out a call that does not fit in 79 columns inside its brackets', () => {
    const call = py.call('nn.Conv2d', [py.name('in_channels'), py.name('width'), py.int(3)], [['stride', py.name('stride')], ['padding', py.int(1)], ['groups', py.name('groups')], ['bias', py.bool(false)]]);
    const lines = layout('self.conv2 = ', call, '', 8);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(lineWidth);
    expect(lines[0]).toBe('        self.conv2 = nn.Conv2d(');
    expect(lines[lines.length - 1]).toBe('        )');
  });
});

describeWithTorch('Python expressions against Python', () => {
  it('prints and evaluates 400 random expressions as Python does', () => {
    const r = rng(20261201);
    const exprs = Array.from({ length: 400 }, () => randomExpr(r, 4));
    const texts = exprs.map(print);
    const ours = exprs.map((e) => {
      try {
        return valueText(evaluate(e, env));
      } catch (err) {
        if (err instanceof NoValue) return 'error';
        throw err;
      }
    });
    const p = spawnSync(python, ['-c', checker], { input: JSON.stringify(exprs.map((e, i) => [texts[i], full(e)])), encoding: 'utf8', timeout: 60_000 });
    expect(p.stderr).toBe('');
    const theirs = JSON.parse(p.stdout) as [boolean, string][];
    const errors = ours.filter((v) => v === 'error').length;
    expect(errors).toBeLessThan(200); // most expressions have a value: the test compares values, not only failures
    texts.forEach((t, i) => {
      expect(theirs[i]![0], `the tree of ${t}`).toBe(true);
      expect(ours[i], `value of ${t}`).toBe(theirs[i]![1]);
    });
  });
});
