/**
 * A block's body (or the network's) as the `__init__` and `forward` of its class, statement by
 * statement, following the spec's text. (Over 400 lines: it is one recursive walk over the
 * statement forms, each case short; split, the cases would call each other across files.)
 *
 *   - A layer, block call, labelled path or repetition at the body's level is an attribute
 *     (`self.conv1 = nn.Conv2d(...)`) named as the IR names it, applied in `forward`
 *     (`x = self.conv1(x)`); an unlabelled path is its items, inline.
 *   - A labelled path is an nn.Sequential: `nn.Sequential(a, b)`; built from a list where items
 *     are conditional (`if t != 1: layers.append(...)`, so that later items take the next index
 *     as in the spec); with `add_module` where items are labelled. A repetition in it is its
 *     items (`*(Block(...) for i in range(n))`).
 *   - `A + B` and `A * B`: each operand reads the same input, `out = out + self.downsample(x)`;
 *     a shortcut is `self.downsample = shortcut(in, out, stride, policy)`, which resolves it as
 *     the shortcut pass did.
 *   - A condition (`X if c`) is an `if` around what X adds to `__init__`, and, where X does
 *     something in `forward`, a flag set in `__init__` (`self.residual = ...`) and tested there.
 *
 * Each use of the block is a sample: the same statement, traced in that use (trace.ts). Every
 * value written is a slot checked against all samples (slots.ts). In the network's class there is
 * one use and nothing to generalize: conditions are resolved, repetitions unrolled, values literal.
 */
import type { Span } from '../diagnostics/span.js';
import type { TensorType } from '../ir/types.js';
import type { Combination, LayerStmt, Path, Repeat } from '../parser/ast.js';
import { unsupported } from './errors.js';
import { layerCode, type Dims, type LayerContext } from './layer.js';
import * as py from './py/expr.js';
import { namesOf, print, tryEvaluate, type PyEnv, type PyExpr, type PyValue } from './py/expr.js';
import { assign, type PyStmt } from './py/format.js';
import { check, literal, resolve, type SlotSample, type SlotType } from './slots.js';
import type { Signature } from './signature.js';
import type { ArgSource, Instance, TItem, TOperand, TTerm } from './trace.js';
import type { Value } from '../ir/elaborate/values.js';
import { translate, type NameContext } from './translate.js';
import type { ShortcutPolicy } from '../passes/pass.js';

/** A statement in one use: the instance, the traced statement, and the loop indices around it. */
export interface Sample {
  readonly inst: Instance;
  readonly item: TItem;
  readonly loop: ReadonlyMap<string, PyValue>;
}

/** What the walk of one class shares. */
export interface BodyContext {
  readonly concrete: boolean;
  readonly types: ReadonlyMap<string, TensorType>;
  /** The class's variables in one use (its parameters, in_channels). */
  readonly env: (inst: Instance) => PyEnv;
  /** The spec's variables in Python (parameters, loop indices). */
  readonly names: NameContext;
  /** Python variables a last-resort slot may read. */
  readonly variables: string[];
  /** The signature of a block's class, by the block. */
  readonly signatureOf: (inst: Instance) => Signature;
  readonly policy: ShortcutPolicy;
  readonly sources: ReadonlyMap<string, string>;
  /** Collected while walking. */
  readonly helpers: Map<string, string>;
  /** `self.flag = condition` lines, for the top of `__init__`. */
  readonly flags: PyStmt[];
  /** Attribute names taken (modules and flags). */
  readonly attrs: Set<string>;
  /** Local variable names taken in `__init__` (the parameters, lists) and in `forward` (x, out). */
  readonly locals: { readonly init: Set<string>; readonly forward: Set<string> };
  /** Spec index name -> Python loop variable, for loops being written. */
  readonly loops: Map<string, string>;
}

/** The forward pass being written in a scope: where statements go, the variable read next and the one written. */
interface Flow {
  fwd: PyStmt[];
  v: string;
  target: string;
  dims: Dims;
}

const identRe = /^[A-Za-z_][A-Za-z0-9_]*$/;

function envOf(c: BodyContext, s: Sample): PyEnv {
  const base = c.env(s.inst);
  if (s.loop.size === 0) return base;
  return new Map([...base, ...s.loop]);
}

/** A new local variable of `__init__` or of `forward`. */
function fresh(c: BodyContext, where: 'init' | 'forward', base: string): string {
  const taken = c.locals[where];
  let n = base;
  for (let i = 2; taken.has(n); i++) n = `${base}${i}`;
  taken.add(n);
  return n;
}

function slot(c: BodyContext, what: string, type: SlotType, samples: readonly Sample[], want: (s: Sample) => PyValue, candidates: readonly (PyExpr | undefined)[], span?: Span): PyExpr {
  const ss: SlotSample[] = samples.map((s) => ({ env: envOf(c, s), want: want(s) }));
  return resolve({ what, type, samples: ss, candidates, span }, { concrete: c.concrete, variables: [...c.variables, ...c.loops.values()] });
}

const channelsOf = (c: BodyContext, value: string) => c.types.get(value)!.shape[1] as number;

/** The source text of a span, on one line, shortened. */
export function sourceText(c: { sources: ReadonlyMap<string, string> }, span: Span, max = 60): string {
  const text = (c.sources.get(span.file) ?? '').slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

// ---- names --------------------------------------------------------------------------------------

/** The name a labelled item of a sequence has in every use. */
function sameName(samples: readonly Sample[], prefixOf: (s: Sample) => string, span: Span): string {
  const names = new Set(samples.map((s) => localName(s.item.term!, prefixOf(s))));
  if (names.size !== 1 || names.has(undefined)) throw unsupported('the PyTorch backend cannot name this item: its label differs between uses of its block', span);
  return [...names][0]!;
}

/** The local name, under `prefix`, of what an item became in the IR (its first node or instance). */
function localName(term: TTerm, prefix: string): string | undefined {
  const full = firstName(term);
  if (full === undefined) return undefined;
  const rest = prefix === '' ? full : full.startsWith(`${prefix}.`) ? full.slice(prefix.length + 1) : undefined;
  return rest?.split('.')[0];
}

function firstName(term: TTerm): string | undefined {
  switch (term.kind) {
    case 'layer':
      return term.node.name;
    case 'block':
      return term.inst.prefix;
    case 'path':
      for (const i of term.items) {
        const n = i.term && firstName(i.term);
        if (n !== undefined) return n;
      }
      return undefined;
    case 'repeat':
      for (const it of term.iterations) {
        const n = firstName(it.term);
        if (n !== undefined) return n;
      }
      return undefined;
    case 'combination':
      for (const o of term.operands) {
        const n = o.role === 'term' && o.item.term ? firstName(o.item.term) : o.role === 'shortcut' ? o.node.name : undefined;
        if (n !== undefined) return n;
      }
      return term.joins[0]?.name;
  }
}

/** The one attribute name an item has in every use (under each use's scope prefix). */
function attrName(c: BodyContext, samples: readonly Sample[], prefix: (s: Sample) => string, span: Span, fallback?: string): string {
  const names = new Set<string>();
  for (const s of samples) {
    const n = s.item.term && localName(s.item.term, prefix(s));
    if (n !== undefined) names.add(n);
  }
  if (names.size > 1) throw unsupported(`the PyTorch backend cannot name this layer: it is ${[...names].join(' or ')} in different uses of its block`, span, 'label it');
  const n = [...names][0] ?? fallback;
  if (n === undefined) throw new Error('internal: an item without a name');
  c.attrs.add(n);
  return n;
}

const selfAttr = (n: string) => (identRe.test(n) ? `self.${n}` : `getattr(self, ${py.pyString(n)})`);

// ---- dims --------------------------------------------------------------------------------------

/** The candidates of `pool` that give each dimension of the samples' `value` in every use. */
function dimsOf(c: BodyContext, samples: readonly Sample[], value: (s: Sample) => string, pool: readonly PyExpr[]): Dims {
  if (c.concrete || samples.length === 0) return [];
  const rank = c.types.get(value(samples[0]!))!.shape.length;
  const seen = new Set<string>();
  const unique = pool.filter((e) => !seen.has(print(e)) && seen.add(print(e)));
  const out: PyExpr[][] = [];
  for (let axis = 0; axis < rank; axis++) {
    const want = samples.map((s) => ({ env: envOf(c, s), want: { t: 'int', v: c.types.get(value(s))!.shape[axis] } as PyValue }));
    out.push(want.every((w) => typeof (w.want as { v: unknown }).v === 'number') ? unique.filter((e) => check('int', e, want) === 'yes') : []);
  }
  return out;
}

const flat = (d: Dims) => d.flat();

// ---- statements in a block's scope ---------------------------------------------------------------

/** One statement at the body's level (or inline in an unlabelled path there). */
export function statement(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], flow: Flow): void {
  const present = samples.filter((s) => s.item.taken);
  if (present.length === 0) {
    if (!c.concrete) init.push({ k: 'comment', text: `(${sourceText(c, stmt.span)}: in no use of this block)` });
    return;
  }
  if (!c.concrete && present.some((s) => s.item.taken !== stmt && s.item.taken!.term !== stmt.term))
    throw unsupported('the PyTorch backend cannot write `X if c else Y` in a block yet', stmt.when?.span ?? stmt.span, 'write two conditional statements: X if c, Y if not c');
  const taken = present[0]!.item.taken!;
  if (c.concrete || !stmt.when) return item(c, taken, present, init, flow);
  // a condition: an `if` around the item's construction, and a flag for its part of forward
  const test = condition(c, stmt, samples);
  const body: PyStmt[] = [];
  const inner: Flow = { ...flow, fwd: [] };
  item(c, taken, present, body, inner);
  init.push({ k: 'if', test, body });
  if (inner.fwd.length) {
    if (inner.v !== flow.v) inner.fwd.push(assign(flow.v, py.name(inner.v)));
    flow.fwd.push({ k: 'if', test: py.raw(`self.${flag(c, test, attrNameOf(taken, present, c))}`), body: inner.fwd });
  }
  flow.dims = dimsOf(c, samples, (s) => s.item.output, [...flat(inner.dims), ...flat(flow.dims)]);
}

function attrNameOf(taken: LayerStmt, present: readonly Sample[], c: BodyContext): string | undefined {
  if (taken.label?.kind === 'Ident') return taken.label.name;
  const t = present[0]!.item.term;
  return t ? localName(t, present[0]!.inst.prefix) : undefined;
  void c;
}

/** The condition of a statement, as a flag's value: checked against where the statement is present. */
function condition(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[]): PyExpr {
  return slot(c, `the condition of ${sourceText(c, stmt.span, 40)}`, 'bool', samples, (s) => ({ t: 'bool', v: s.item.taken !== undefined }), [translate(stmt.when!.cond, c.names)], stmt.when!.span);
}

/** The flag holding a condition in `self` (`self.residual`), made once per condition. */
function flag(c: BodyContext, test: PyExpr, what: string | undefined): string {
  const text = print(test);
  const existing = c.flags.find((f) => f.k === 'assign' && print(f.value) === text);
  if (existing && existing.k === 'assign') return existing.target!.slice('self.'.length);
  let base = test.k === 'name' ? test.name : what ? `use_${what.replace(/\W/g, '_')}` : 'flag';
  if (c.attrs.has(base)) base = `use_${base}`;
  let n = base;
  for (let i = 2; c.attrs.has(n); i++) n = `${base}${i}`;
  c.attrs.add(n);
  c.flags.push(assign(`self.${n}`, test));
  return n;
}

/** A present statement at the body's level. */
function item(c: BodyContext, taken: LayerStmt, samples: readonly Sample[], init: PyStmt[], flow: Flow): void {
  const t = taken.term;
  const prefix = (s: Sample) => s.inst.prefix;
  switch (t.kind) {
    case 'Call': {
      const name = attrName(c, samples, prefix, t.span);
      const term = samples[0]!.item.term!;
      if (term.kind === 'layer') {
        const code = layerCode(layerContext(c), samples.map((s) => ({ env: envOf(c, s), term: s.item.term as TTerm & { kind: 'layer' } })), flow.dims, t.span);
        for (const [k, v] of code.helpers) c.helpers.set(k, v);
        init.push(assign(`self.${name}`, code.expr));
        apply(flow, code.kind === 'parameter' ? py.bin('*', py.name(flow.v), py.raw(selfAttr(name))) : call(name, flow.v));
        flow.dims = dimsOf(c, samples, (s) => s.item.output, [...code.pool, ...flat(flow.dims)]);
      } else {
        const { expr, pool } = blockCall(c, samples, flow.dims);
        init.push(assign(`self.${name}`, expr));
        apply(flow, call(name, flow.v));
        flow.dims = dimsOf(c, samples, (s) => s.item.output, [...pool, ...flat(flow.dims)]);
      }
      return;
    }
    case 'Path': {
      if (!taken.label) {
        const items = t.items;
        items.forEach((st, j) => statement(c, st, samples.map((s) => ({ ...s, item: (s.item.term as TTerm & { kind: 'path' }).items[j]! })), init, flow));
        return;
      }
      return sequenceAttr(c, taken, samples, init, flow);
    }
    case 'Repeat':
      if (taken.label?.kind === 'Ident') return sequenceAttr(c, taken, samples, init, flow);
      if (c.concrete) {
        // unrolled: each item of the repetition is a statement of its own
        for (const s of samples) {
          const rep = s.item.term as TTerm & { kind: 'repeat' };
          for (const it of rep.iterations) {
            const st: LayerStmt = { kind: 'Layer', span: taken.span, term: t.body };
            const single: TItem = { stmt: st, taken: st, env: it.env, input: it.input, output: it.output, term: it.term };
            if (taken.label?.kind === 'Template') named(c, it.label!, single, s, init, flow);
            else item(c, st, [{ ...s, item: single }], init, flow);
          }
        }
        return;
      }
      throw unsupported('the PyTorch backend cannot name the items of an unlabelled repetition inside a block', t.span, 'label it (`stage: blk x n`), or make it the only statement of its block');
    case 'Combination':
      return combination(c, t, samples, init, flow);
  }
}

/** An item of the network's unrolled template repetition: an attribute with a name Python may not allow (`block1-0`). */
function named(c: BodyContext, name: string, single: TItem, s: Sample, init: PyStmt[], flow: Flow): void {
  const expr = moduleOf(c, single.taken!, [{ ...s, item: single }], init, () => name).expr;
  c.attrs.add(name);
  init.push(assign(undefined, py.call('self.add_module', [py.str(name), expr])));
  apply(flow, { k: 'call', fn: selfAttr(name), args: [py.name(flow.v)], kwargs: [] });
}

const call = (name: string, v: string): PyExpr => py.call(selfAttr(name), [py.name(v)]);

/** `target = e` in forward; what follows reads target. */
function apply(flow: Flow, e: PyExpr): void {
  flow.fwd.push(assign(flow.target, e));
  flow.v = flow.target;
}

/** A labelled path or repetition at the body's level: `self.label = nn.Sequential(...)`. */
function sequenceAttr(c: BodyContext, taken: LayerStmt, samples: readonly Sample[], init: PyStmt[], flow: Flow): void {
  const label = attrName(c, samples, (s) => s.inst.prefix, taken.span);
  const target = identRe.test(label) ? `self.${label}` : undefined;
  const seq = sequence(c, taken, samples, init, (s) => (s.inst.prefix ? `${s.inst.prefix}.${label}` : label), target, flow.dims);
  if (seq.expr) init.push(target ? assign(target, seq.expr) : assign(undefined, py.call('self.add_module', [py.str(label), seq.expr])));
  apply(flow, call(label, flow.v));
  flow.dims = seq.dims;
}

function layerContext(c: BodyContext): LayerContext {
  return { names: c.names, opts: { concrete: c.concrete, variables: [...c.variables, ...c.loops.values()] }, types: c.types };
}

// ---- block calls -------------------------------------------------------------------------------

/** `Class(in_channels, required..., name=value...)` for a block call in every sample. */
function blockCall(c: BodyContext, samples: readonly Sample[], dims: Dims): { expr: PyExpr; pool: PyExpr[] } {
  const terms = samples.map((s) => s.item.term as TTerm & { kind: 'block' });
  const sig = c.signatureOf(terms[0]!.inst);
  if (terms.some((t) => c.signatureOf(t.inst) !== sig)) throw unsupported('the PyTorch backend cannot call different blocks from one statement of a block', terms[0]!.call.span);
  const span = terms[0]!.call.span;
  const args: PyExpr[] = [];
  const kwargs: [string, PyExpr][] = [];
  const pool: PyExpr[] = [];
  const first = (s: Sample) => s.loop.size > 0 && [...s.loop.values()].every((v) => v.t === 'int' && v.v === 0);
  for (const p of sig.params) {
    const childEnv = (s: Sample) => sig.env((s.item.term as TTerm & { kind: 'block' }).inst);
    // left out where the default gives the value; in a block's class only where the spec leaves it out too
    const written = p.spec !== undefined && samples.some((s) => (s.item.term as TTerm & { kind: 'block' }).given.has(p.spec!));
    if (p.default !== undefined && (c.concrete || !written) && samples.every((s) => sig.defaultGives(p, childEnv(s)))) continue;
    const type = typeOf(childEnv(samples[0]!).get(p.py)!);
    const candidates: (PyExpr | undefined)[] = [];
    if (p.py === 'in_channels') candidates.push(...(dims[1] ?? []), ...loopCarried(c, dims[1] ?? []));
    if (p.spec !== undefined) candidates.push(...sourceCandidates(c, samples, (s) => (s.item.term as TTerm & { kind: 'block' }).given.get(p.spec!), first, type, (s) => childEnv(s).get(p.py)!));
    const e = slot(c, `argument ${p.spec ?? 'in'} of ${sig.decl.name.name}`, type, samples, (s) => childEnv(s).get(p.py)!, candidates, span);
    if (type === 'int') pool.push(e);
    if (p.default === undefined) args.push(e);
    else kwargs.push([p.py, e]);
  }
  return { expr: py.call(sig.name, args, kwargs), pool };
}

function typeOf(v: PyValue): SlotType {
  return v.t === 'int' || v.t === 'float' || v.t === 'bool' || v.t === 'str' || v.t === 'cls' ? v.t : 'ints';
}

/** In a loop, the channels of the first item's input and of the others': `in_channels if i == 0 else out`. */
function loopCarried(c: BodyContext, entry: readonly PyExpr[]): PyExpr[] {
  const out: PyExpr[] = [];
  for (const v of c.loops.values()) for (const e of entry) for (const w of c.variables) out.push(py.cond(py.cmp('==', py.name(v), py.int(0)), e, py.name(w)));
  return out;
}

/**
 * What the spec wrote for an argument, in Python: the source given in every use, or, where the
 * first item of a repetition is given another (`with first(stride = 2)`), `a if i == 0 else b`.
 */
function sourceCandidates(
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
  const same = restWant.every((w) => py.pyEqual(w, restWant[0]!));
  const a = tr(f[0], undefined);
  const b = tr(r[0], same ? restWant[0] : undefined);
  const v = [...c.loops.values()][0]!;
  return a && b ? [py.cond(py.cmp('==', py.name(v), py.int(0)), a, b)] : [];
}

function valueLiteral(s: ArgSource & { value: Value }, c: BodyContext): PyExpr | undefined {
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

// ---- sequences --------------------------------------------------------------------------------

interface Entry {
  /** The module, or items spliced in (`*(... for i in range(n))`). */
  readonly expr: PyExpr;
  readonly name?: PyExpr;
  readonly test?: PyExpr;
  /** A loop over items (a repetition in a sequence with add_module). */
  readonly loop?: { v: string; range: PyExpr[] };
}

/**
 * The nn.Sequential of a labelled path or repetition (or a nested unlabelled one), with its
 * statements to build it written into `init` first when it needs any. `target` is where it goes
 * (`self.features`), for building it in place with add_module; the expression is undefined then.
 */
function sequence(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], prefixOf: (s: Sample) => string, target: string | undefined, dims: Dims): { expr?: PyExpr; dims: Dims } {
  const t = stmt.term;
  const entries: Entry[] = [];
  let cur = dims;
  const items = (s: Sample): { stmts: readonly LayerStmt[]; items: readonly TItem[] } =>
    t.kind === 'Path' ? { stmts: t.items, items: (s.item.term as TTerm & { kind: 'path' }).items } : repeatItems(t as Repeat, s);
  if (c.concrete) {
    // one use: the items as the IR has them, in order, each with its name
    const s = samples[0]!;
    for (const it of spliced(items(s).items)) {
      const name = localName(it.term!, prefixOf(s));
      const m = moduleOf(c, it.taken!, [{ ...s, item: it }], init, () => `${prefixOf(s)}.${name}`);
      entries.push({ expr: m.expr, ...(name !== undefined ? { name: py.str(name) } : {}) });
    }
  } else if (t.kind === 'Repeat') {
    entries.push(...repetition(c, t, stmt, samples, init, prefixOf, cur).entries);
  } else {
    (t as Path).items.forEach((st, j) => {
      const sub = samples.map((s) => ({ ...s, item: (s.item.term as TTerm & { kind: 'path' }).items[j]! }));
      const present = sub.filter((s) => s.item.taken);
      if (present.length === 0) {
        init.push({ k: 'comment', text: `(${sourceText(c, st.span)}: in no use of this block)` });
        return;
      }
      if (present.some((s) => s.item.taken !== st && s.item.taken!.term !== st.term)) throw unsupported('the PyTorch backend cannot write `X if c else Y` in a block yet', st.span);
      const test = st.when ? condition(c, st, sub) : undefined;
      const label = st.label ? sameName(present, prefixOf, st.span) : undefined;
      if (st.term.kind === 'Repeat' && !st.label) {
        const r = repetition(c, st.term, st, present, init, (s) => prefixOf(s), cur);
        entries.push(...r.entries.map((e) => (test ? { ...e, test } : e)));
        cur = r.dims;
        return;
      }
      const m = moduleOf(c, st, present, init, (s) => `${prefixOf(s)}.${label ?? localName(s.item.term!, prefixOf(s))}`, cur);
      entries.push({ expr: m.expr, ...(label !== undefined ? { name: py.str(label) } : {}), ...(test ? { test } : {}) });
      cur = dimsOf(c, sub, (s) => s.item.output, [...flat(m.dims), ...flat(cur)]);
    });
  }
  const out = c.concrete ? [] : dimsOf(c, samples, (s) => s.item.output, flat(cur));
  return { ...build(c, entries, init, target), dims: out };
}

/** The items present, with an unlabelled repetition's items in its place (they take the sequence's next indices). */
function spliced(items: readonly TItem[]): TItem[] {
  const out: TItem[] = [];
  for (const it of items) {
    if (!it.taken) continue;
    if (it.taken.term.kind === 'Repeat' && !it.taken.label) {
      const st: LayerStmt = { kind: 'Layer', span: it.taken.span, term: it.taken.term.body };
      for (const i of (it.term as TTerm & { kind: 'repeat' }).iterations) out.push({ stmt: st, taken: st, env: i.env, input: i.input, output: i.output, term: i.term });
    } else out.push(it);
  }
  return out;
}

/** The items of a repetition in one use, as statements: its body once per item. */
function repeatItems(t: Repeat, s: Sample): { stmts: readonly LayerStmt[]; items: readonly TItem[] } {
  const rep = s.item.term as TTerm & { kind: 'repeat' };
  const st: LayerStmt = { kind: 'Layer', span: t.span, term: t.body };
  return { stmts: rep.iterations.map(() => st), items: rep.iterations.map((it) => ({ stmt: st, taken: st, env: it.env, input: it.input, output: it.output, term: it.term })) };
}

/** A repetition inside a sequence of a block: `*(Block(...) for i in range(n))`, one entry. */
function repetition(c: BodyContext, t: Repeat, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], prefixOf: (s: Sample) => string, dims: Dims): { entries: Entry[]; dims: Dims } {
  const counts = samples.map((s) => (s.item.term as TTerm & { kind: 'repeat' }).iterations.length);
  const n = slot(c, 'a repetition count', 'int', samples, (s) => ({ t: 'int', v: counts[samples.indexOf(s)]! }), [translate(t.count, c.names)], t.count.span);
  const specIndex = t.index?.name;
  const v = fresh(c, 'init', specIndex !== undefined && identRe.test(specIndex) ? specIndex : 'i');
  if (specIndex !== undefined) c.loops.set(specIndex, v);
  else c.loops.set(`\0${v}`, v);
  try {
    const body: Sample[] = [];
    for (const s of samples) {
      const rep = s.item.term as TTerm & { kind: 'repeat' };
      rep.iterations.forEach((it, k) => {
        const st: LayerStmt = { kind: 'Layer', span: t.span, term: t.body };
        body.push({ inst: s.inst, item: { stmt: st, taken: st, env: it.env, input: it.input, output: it.output, term: it.term }, loop: new Map([...s.loop, [v, { t: 'int', v: k } as PyValue]]) });
      });
    }
    const names = new Set(samples.flatMap((s) => (s.item.term as TTerm & { kind: 'repeat' }).iterations.map((it) => it.label)).filter((l) => l !== undefined));
    const template = stmt.label?.kind === 'Template' ? stmt.label : undefined;
    // after the loop: what its last item gives, without the loop variable
    const after = (inner: Dims) =>
      dimsOf(c, samples, (s) => s.item.output, [...flat(inner).filter((e) => !namesOf(e).has(v)), ...c.variables.map((w) => py.name(w)), ...flat(dims)]);
    const st: LayerStmt = { kind: 'Layer', span: t.span, term: t.body };
    const loopDims = dims.map((d) => [...d, ...loopCarried(c, d), ...c.variables.map((w) => py.name(w))]);
    const m = body.length ? moduleOf(c, st, body, init, (s) => `${prefixOf(s)}.${localName(s.item.term!, prefixOf(s))}`, loopDims) : { expr: py.raw('None'), dims: [] };
    if (template && names.size) {
      const parts = template.parts.map((p) => (typeof p === 'string' ? p : p.name === specIndex ? py.name(v) : translate({ kind: 'Name', name: p.name, span: p.span }, c.names)));
      if (parts.some((p) => p === undefined)) throw unsupported('the PyTorch backend cannot write this label', template.span);
      return { entries: [{ expr: m.expr, name: { k: 'fstr', parts: parts as (string | PyExpr)[] }, loop: { v, range: [n] } }], dims: after(m.dims) };
    }
    return {
      entries: [{ expr: { k: 'star', x: { k: 'gen', x: m.expr, v: print(m.expr).includes(v) ? v : '_', range: [n] } } }],
      dims: after(m.dims),
    };
  } finally {
    c.loops.delete(specIndex ?? `\0${v}`);
  }
}

/** An item of a sequence as a module expression. */
function moduleOf(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], prefixOf: (s: Sample) => string, dims: Dims = []): { expr: PyExpr; dims: Dims } {
  const t = stmt.term;
  switch (t.kind) {
    case 'Call': {
      const term = samples[0]!.item.term!;
      if (term.kind === 'layer') {
        const code = layerCode(layerContext(c), samples.map((s) => ({ env: envOf(c, s), term: s.item.term as TTerm & { kind: 'layer' } })), dims, t.span);
        if (code.kind === 'parameter') throw unsupported('the PyTorch backend cannot put a layer scale in a sequence: it is a parameter of a block', t.span, 'use it in a block, outside a labelled path');
        for (const [k, v] of code.helpers) c.helpers.set(k, v);
        return { expr: code.expr, dims: dimsOf(c, samples, (s) => s.item.output, [...code.pool, ...flat(dims)]) };
      }
      const { expr, pool } = blockCall(c, samples, dims);
      return { expr, dims: dimsOf(c, samples, (s) => s.item.output, [...pool, ...flat(dims)]) };
    }
    case 'Path':
    case 'Repeat': {
      const seq = sequence(c, stmt, samples, init, prefixOf, undefined, dims);
      return { expr: seq.expr!, dims: seq.dims };
    }
    case 'Combination':
      throw unsupported('the PyTorch backend cannot write a residual or a product as an item of a sequence', t.span, 'make it a block');
  }
}

/** Entries into an nn.Sequential: as arguments, from a list (conditional items), or by add_module (named items). */
function build(c: BodyContext, entries: readonly Entry[], init: PyStmt[], target: string | undefined): { expr?: PyExpr } {
  const namedEntries = entries.filter((e) => e.name !== undefined);
  if (namedEntries.length > 0) {
    const positional = entries.every((e, i) => e.name?.k === 'lit' && e.name.v.t === 'str' && e.name.v.v === String(i) && !e.test && !e.loop);
    if (positional) return { expr: py.call('nn.Sequential', compress(entries.map((e) => e.expr))) };
    if (namedEntries.length !== entries.length) throw unsupported('the PyTorch backend cannot mix labelled and unlabelled items in one sequence of a block', undefined);
    const seq = target ?? fresh(c, 'init', 'layers');
    if (seq !== 'self') init.push(assign(seq, py.call('nn.Sequential')));
    for (const e of entries) {
      const add: PyStmt = assign(undefined, py.call(`${seq}.add_module`, [e.name!, e.expr]));
      const looped: PyStmt = e.loop ? { k: 'for', v: e.loop.v, range: e.loop.range, body: [add] } : add;
      init.push(e.test ? { k: 'if', test: e.test, body: [looped] } : looped);
    }
    return target ? {} : { expr: py.name(seq) };
  }
  if (!entries.some((e) => e.test)) return { expr: py.call('nn.Sequential', compress(entries.map((e) => e.expr))) };
  const list = fresh(c, 'init', 'layers');
  init.push(assign(list, { k: 'list', items: [] }));
  for (const e of entries) {
    const add: PyStmt =
      e.expr.k === 'star' ? assign(undefined, py.call(`${list}.extend`, [e.expr.x])) : assign(undefined, py.call(`${list}.append`, [e.expr]));
    init.push(e.test ? { k: 'if', test: e.test, body: [add] } : add);
  }
  return { expr: py.call('nn.Sequential', [{ k: 'star', x: py.name(list) }]) };
}

/** Runs of four or more equal items as `*(item for _ in range(n))`. */
function compress(items: readonly PyExpr[]): PyExpr[] {
  const out: PyExpr[] = [];
  for (let i = 0; i < items.length; ) {
    let j = i + 1;
    const text = print(items[i]!);
    while (j < items.length && print(items[j]!) === text) j++;
    if (j - i >= 4 && items[i]!.k !== 'star') out.push({ k: 'star', x: { k: 'gen', x: items[i]!, v: '_', range: [py.int(j - i)] } });
    else out.push(...items.slice(i, j));
    i = j;
  }
  return out;
}

// ---- residuals and products -------------------------------------------------------------------------

function combination(c: BodyContext, t: Combination, samples: readonly Sample[], init: PyStmt[], flow: Flow): void {
  const ops = (s: Sample) => (s.item.term as TTerm & { kind: 'combination' }).operands;
  if (samples.some((s) => ops(s)[0]!.role === 'absent')) throw unsupported('the PyTorch backend needs the first operand of a residual or product in every use', t.operands[0]!.span);
  const input = flow.v;
  const inputDims = flow.dims;
  const main = t.operands[0]!;
  const mainSamples = samples.map((s) => ({ ...s, item: operandItem(ops(s)[0]!, s) }));
  let acc: string;
  let accDims: Dims;
  if (ops(samples[0]!)[0]!.role === 'input') {
    acc = input;
    accDims = inputDims;
  } else {
    const sub: Flow = { fwd: flow.fwd, v: input, target: fresh(c, 'forward', 'out'), dims: inputDims };
    const taken = mainSamples[0]!.item.taken!;
    item(c, taken, mainSamples, init, sub);
    acc = sub.v;
    accDims = sub.dims;
  }
  t.operands.slice(1).forEach((stmt, j) => {
    const k = j + 1;
    const sub = samples.map((s) => ({ ...s, item: operandItem(ops(s)[k]!, s) }));
    const roles = new Set(samples.map((s) => ops(s)[k]!.role).filter((r) => r !== 'absent'));
    if (roles.size === 0) {
      if (!c.concrete) init.push({ k: 'comment', text: `(${sourceText(c, stmt.span)}: in no use of this block)` });
      return;
    }
    if (roles.size > 1) throw unsupported('the PyTorch backend cannot write an operand that is a different thing in different uses of its block', stmt.span);
    const present = samples.filter((s) => ops(s)[k]!.role !== 'absent');
    const conditional = !c.concrete && stmt.when !== undefined;
    const opInit: PyStmt[] = [];
    const opFwd: PyStmt[] = [];
    const role = [...roles][0]!;
    let other: PyExpr;
    if (role === 'input') other = py.name(input);
    else if (role === 'shortcut') other = shortcut(c, present.map((s) => ({ s, op: ops(s)[k] as TOperand & { role: 'shortcut' } })), stmt, input, inputDims, accDims, opInit);
    else other = operand(c, t.op, stmt, present.map((s) => ({ ...s, item: operandItem(ops(s)[k]!, s) })), opInit, opFwd, input, inputDims);
    const joined = acc === input ? fresh(c, 'forward', 'out') : acc;
    opFwd.push(assign(joined, py.bin(t.op, py.name(acc), other)));
    acc = joined;
    if (conditional) {
      const test = condition(c, stmt, sub);
      if (opInit.length) init.push({ k: 'if', test, body: opInit });
      flow.fwd.push({ k: 'if', test: py.raw(`self.${flag(c, test, t.op === '+' ? 'residual' : 'gate')}`), body: opFwd });
    } else {
      init.push(...opInit);
      flow.fwd.push(...opFwd);
    }
  });
  flow.v = acc;
  flow.target = acc;
  flow.dims = dimsOf(c, samples, (s) => s.item.output, [...flat(accDims), ...flat(inputDims)]);
}

/** The traced item of an operand (a statement as written, absent where its condition fails). */
function operandItem(op: TOperand, s: Sample): TItem {
  if (op.role === 'term') return op.item;
  const v = s.item.input;
  return { stmt: op.stmt, taken: op.role === 'absent' ? undefined : op.stmt, env: s.item.env, input: v, output: v };
}

/** An operand after the first that is a term: a module applied to the input (`self.downsample(x)`), or, in a product, an inline path (`gate`). */
function operand(c: BodyContext, op: '+' | '*', stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], fwd: PyStmt[], input: string, dims: Dims): PyExpr {
  const taken = samples[0]!.item.taken!;
  const t = taken.term;
  if (op === '*' && !taken.label && t.kind === 'Path') {
    const sub: Flow = { fwd, v: input, target: fresh(c, 'forward', 'gate'), dims };
    item(c, taken, samples, init, sub);
    return py.name(sub.v);
  }
  if (taken.label || t.kind === 'Call') {
    // a labelled operand, or a block or layer: an attribute of its own
    const flowed: Flow = { fwd, v: input, target: fresh(c, 'forward', 'branch'), dims };
    const before = fwd.length;
    item(c, taken, samples, init, flowed);
    const last = fwd.splice(before);
    if (last.length === 1 && last[0]!.k === 'assign') {
      c.locals.forward.delete(flowed.target);
      return last[0]!.value;
    }
    fwd.push(...last);
    return py.name(flowed.v);
  }
  // an unlabelled path or term after `+` is a Sequential named downsample (downsample2...), as elaboration names it
  const name = attrName(c, samples, (s) => s.inst.prefix, stmt.span);
  const seq = t.kind === 'Path' ? sequence(c, taken, samples, init, (s) => (s.inst.prefix ? `${s.inst.prefix}.${name}` : name), `self.${name}`, dims) : { expr: py.call('nn.Sequential', [moduleOf(c, taken, samples, init, (s) => `${s.inst.prefix ? `${s.inst.prefix}.` : ''}${name}.0`, dims).expr]) };
  if (seq.expr) init.push(assign(`self.${name}`, seq.expr));
  return call(name, input);
}

/** What the shortcut pass made of a shortcut in one use. */
function resolution(resolved: readonly { op: string }[]): 'identity' | 'A' | 'projection' {
  if (resolved.length === 0) return 'identity';
  return resolved.some((n) => n.op === 'conv') ? 'projection' : 'A';
}

/**
 * A shortcut: `self.downsample = shortcut(in_channels, out, stride, policy)`, applied to the
 * input. The helper resolves it as the pass does; the resolution it gives is checked against the
 * pass's in every use.
 */
function shortcut(c: BodyContext, uses: readonly { s: Sample; op: TOperand & { role: 'shortcut' } }[], stmt: LayerStmt, input: string, inDims: Dims, outDims: Dims, init: PyStmt[]): PyExpr {
  const samples = uses.map((u) => u.s);
  const span = stmt.term.span;
  const names = new Set(uses.map((u) => u.op.node.name.slice(u.s.inst.prefix ? u.s.inst.prefix.length + 1 : 0)));
  if (names.size > 1) throw unsupported('the PyTorch backend cannot name this shortcut: its name differs between uses', span);
  const name = [...names][0]!;
  c.attrs.add(name);
  const node = (s: Sample) => uses[samples.indexOf(s)]!.op.node;
  const inC = slot(c, 'the input channels of a shortcut', 'int', samples, (s) => ({ t: 'int', v: channelsOf(c, s.item.input) }), [...(inDims[1] ?? [])], span);
  const out = slot(c, 'the output channels of a shortcut', 'int', samples, (s) => ({ t: 'int', v: node(s).attrs.out as number }), [...(outDims[1] ?? []), ...(inDims[1] ?? [])], span);
  const stride = slot(c, 'the stride of a shortcut', 'int', samples, (s) => ({ t: 'int', v: node(s).attrs.stride as number }), [c.names.variable('stride') !== undefined ? py.name(c.names.variable('stride')!) : undefined], span);
  const src = uses[0]!.op.policy;
  const policy = slot(c, 'the policy of a shortcut', 'str', samples, (s) => ({ t: 'str', v: (node(s).attrs.policy as string) || 'auto' }), [src && 'expr' in src ? translate(src.expr, c.names) : undefined], span);
  for (const u of uses) {
    const env = envOf(c, u.s);
    const [i, o, st, p] = [inC, out, stride, policy].map((e) => tryEvaluate(e, env)) as [PyValue, PyValue, PyValue, PyValue];
    const pol = p.t === 'str' && p.v !== 'auto' ? p.v : c.policy;
    const same = (i as { v: number }).v === (o as { v: number }).v && (st as { v: number }).v === 1;
    const expect = same && pol !== 'C' ? 'identity' : pol === 'A' ? 'A' : 'projection';
    if (expect !== resolution(u.op.resolved)) throw new Error(`internal: shortcut() gives ${expect} where the pass made ${resolution(u.op.resolved)} (${u.op.node.name})`);
  }
  const helpers = c.helpers;
  for (const [k, v] of helperOfShortcut()) helpers.set(k, v);
  init.push(assign(`self.${name}`, py.call('shortcut', [inC, out, stride, policy])));
  return call(name, input);
  void input;
}

let shortcutHelpers: ReadonlyMap<string, string> | undefined;
function helperOfShortcut(): ReadonlyMap<string, string> {
  return (shortcutHelpers ??= new Map(Object.entries(shortcutOp().pytorch.helpers ?? {})));
}

import { ops } from '../ir/ops/index.js';
const shortcutOp = () => ops.shortcut;

/** A block that is one template-labelled repetition: its items added to the block itself, an nn.Sequential. */
export function selfSequence(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], dims: Dims): void {
  sequence(c, stmt, samples, init, (s) => s.inst.prefix, 'self', dims);
}

/** The forward flow of a body that starts from `x` with the channels `in_channels`. */
export function startFlow(fwd: PyStmt[], v: string, dims: Dims): Flow {
  return { fwd, v, target: v, dims };
}

export type { Flow };
