/**
 * A block called from a body: `Class(in_channels, required..., name=value...)`, each argument a
 * slot (what the spec passes, or the callee's default where the spec leaves it out), and the
 * channels of its output in the caller's variables.
 */
import type { Value } from '../ir/elaborate/values.js';
import { unsupported } from './errors.js';
import type { Dims } from './layer.js';
import * as py from './py/expr.js';
import { type PyExpr, type PyValue } from './py/expr.js';
import { namesOf, pyEqual } from './py/evaluate.js';
import { literal, type SlotType } from './slots.js';
import type { SigParam } from './signature.js';
import type { ArgSource, TTerm } from './trace.js';
import { translate } from './translate.js';
import { slot, type BodyContext, type Sample } from './context.js';

/**
 * `Class(in_channels, required..., name=value...)` for a block call in every sample, and the
 * channels of its output in this class's variables: the callee's own output channels (from its
 * class, `outputOf`) with this call's arguments put in for its parameters.
 */
export function blockCall(c: BodyContext, samples: readonly Sample[], dims: Dims): { expr: PyExpr; pool: PyExpr[] } {
  const terms = samples.map((s) => s.item.term as TTerm & { kind: 'block' });
  const sig = c.signatureOf(terms[0]!.inst);
  if (terms.some((t) => c.signatureOf(t.inst) !== sig)) throw unsupported('the PyTorch backend cannot call different blocks from one statement of a block', terms[0]!.call.span);
  const span = terms[0]!.call.span;
  const childEnv = (s: Sample) => sig.env((s.item.term as TTerm & { kind: 'block' }).inst);
  const first = (s: Sample) => s.loop.size > 0 && [...s.loop.values()].every((v) => v.t === 'int' && v.v === 0);
  // each parameter's expression here: what the call passes, or (left out) the callee's default
  const given = new Map<string, PyExpr>();
  const values = new Map<string, PyExpr>();
  const resolveParam = (p: SigParam, extra: readonly PyExpr[]): void => {
    // left out where the default gives the value; in a block's class only where the spec leaves it out too
    const written = p.spec !== undefined && terms.some((t) => t.given.has(p.spec!));
    if (p.default !== undefined && (c.concrete || !written) && samples.every((s) => sig.defaultGives(p, childEnv(s)))) {
      values.set(p.py, substitute(p.default, values));
      return;
    }
    const type = typeOf(childEnv(samples[0]!).get(p.py)!);
    const candidates: (PyExpr | undefined)[] = [...extra];
    if (p.spec !== undefined) candidates.push(...sourceCandidates(c, samples, (s) => (s.item.term as TTerm & { kind: 'block' }).given.get(p.spec!), first, type, (s) => childEnv(s).get(p.py)!));
    const e = slot(c, `argument ${p.spec ?? 'in'} of ${sig.decl.name.name}`, type, samples, (s) => childEnv(s).get(p.py)!, candidates, span);
    given.set(p.py, e);
    values.set(p.py, e);
  };
  // in_channels last: in a loop, the items after the first take the output of the one before
  const inParam = sig.params[0]!;
  const out = c.outputOf(sig);
  for (const p of sig.params.slice(1)) resolveParam(p, []);
  const carried = out === undefined || namesOf(out).has('in_channels') ? [] : [substitute(out, values)];
  const loops = [...c.loops.values()].map((v) => py.cmp('==', py.name(v), py.int(0)));
  resolveParam(inParam, [...(dims[1] ?? []), ...loops.flatMap((test) => (dims[1] ?? []).flatMap((d) => carried.map((o) => py.cond(test, d, o))))]);
  const args = sig.params.filter((p) => p.default === undefined).map((p) => given.get(p.py)!);
  const kwargs = sig.params.filter((p) => p.default !== undefined && given.has(p.py)).map((p) => [p.py, given.get(p.py)!] as [string, PyExpr]);
  const pool = [...(out ? [substitute(out, values)] : []), ...[...given.values()]];
  return { expr: py.call(sig.name, args, kwargs), pool };
}

/** `e` with the names of `values` replaced by their expressions. */
export function substitute(e: PyExpr, values: ReadonlyMap<string, PyExpr>): PyExpr {
  const sub = (x: PyExpr): PyExpr => substitute(x, values);
  switch (e.k) {
    case 'name':
      return values.get(e.name) ?? e;
    case 'unary':
      return { ...e, x: sub(e.x) };
    case 'bin':
    case 'cmp':
    case 'logic':
      return { ...e, l: sub(e.l), r: sub(e.r) };
    case 'cond':
      return { ...e, test: sub(e.test), then: sub(e.then), else: sub(e.else) };
    case 'call':
      return { ...e, args: e.args.map(sub), kwargs: e.kwargs.map(([k, v]) => [k, sub(v)] as const) };
    default:
      return e;
  }
}

export function typeOf(v: PyValue): SlotType {
  return v.t === 'int' || v.t === 'float' || v.t === 'bool' || v.t === 'str' || v.t === 'cls' ? v.t : 'ints';
}

/**
 * What the spec wrote for an argument, in Python: the source given in every use, or, where the
 * first item of a repetition is given another (`with first(stride = 2)`), `a if i == 0 else b`.
 */
export function sourceCandidates(
  c: BodyContext,
  samples: readonly Sample[],
  source: (s: Sample) => ArgSource | undefined,
  isFirst: (s: Sample) => boolean,
  type: SlotType,
  want: (s: Sample) => PyValue,
): (PyExpr | undefined)[] {
  const tr = (s: ArgSource | undefined, fallback: PyValue | undefined): PyExpr | undefined =>
    s === undefined ? (fallback === undefined ? undefined : literal(type, fallback)) : 'expr' in s ? translate(s.expr, c.names) : valueLiteral(s, c);
  // the same source written once (the same expression of the spec, or an equal bound value)
  const keyOf = (a: ArgSource | undefined): unknown => (a === undefined ? undefined : 'expr' in a ? a.expr : JSON.stringify(a.value, (k, v) => (k === 'ref' ? undefined : v)));
  const distinct = (ss: readonly Sample[]) => {
    const seen = new Map<unknown, ArgSource | undefined>();
    for (const s of ss) {
      const a = source(s);
      if (!seen.has(keyOf(a))) seen.set(keyOf(a), a);
    }
    return [...seen.values()];
  };
  const all = distinct(samples);
  if (all.length === 1) return [tr(all[0], undefined)];
  const firsts = samples.filter(isFirst);
  const rest = samples.filter((s) => !isFirst(s));
  const [f, r] = [distinct(firsts), distinct(rest)];
  if (f.length !== 1 || r.length !== 1 || c.loops.size === 0) return all.map((s) => tr(s, undefined));
  const restWant = rest.map(want);
  const same = restWant.every((w) => pyEqual(w, restWant[0]!));
  const a = tr(f[0], undefined);
  const b = tr(r[0], same ? restWant[0] : undefined);
  const v = [...c.loops.values()][0]!;
  return a && b ? [py.cond(py.cmp('==', py.name(v), py.int(0)), a, b)] : [];
}

export function valueLiteral(s: ArgSource & { value: Value }, c: BodyContext): PyExpr | undefined {
  const v = s.value;
  switch (v.kind) {
    case 'int':
      return py.int(v.v);
    case 'real':
      return py.float(v.v);
    case 'bool':
      return py.bool(v.v);
    case 'policy':
      return py.str(v.v || 'auto');
    default:
      return translate({ kind: 'Name', name: v.kind === 'layer' ? v.name : v.ref.decl.name.name, span: { file: '', start: 0, end: 0 } }, c.names);
  }
}
