/**
 * Labelled paths and repetitions as nn.Sequential: `nn.Sequential(a, b)`; built from a list where
 * items are conditional (`if t != 1: layers.append(...)`, so that later items take the next index
 * as in the spec); with `add_module` where items are labelled (`f"block{index}-{i}"` in a loop).
 * A repetition in a sequence is its items (`*(Block(...) for i in range(n))`).
 */
import type { LayerStmt, Path, Repeat } from '../parser/ast.js';
import { blockCall } from './call.js';
import { afterConditional, assuming, condition, dimsOf, envOf, flat, fresh, identRe, layerContext, localName, logStride, sameName, slot, sourceText, type BodyContext, type Sample } from './context.js';
import { unsupported } from './errors.js';
import { layerCode, type Dims } from './layer.js';
import * as py from './py/expr.js';
import { print, type PyExpr, type PyValue } from './py/expr.js';
import { namesOf } from './py/evaluate.js';
import { assign, type PyStmt } from './py/format.js';
import type { TItem, TTerm } from './trace.js';
import { translate } from './translate.js';

export interface Entry {
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
export function sequence(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], prefixOf: (s: Sample) => string, target: string | undefined, dims: Dims): { expr?: PyExpr; dims: Dims } {
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
        const r = repetition(c, st.term, st, present, init, (s) => prefixOf(s), assuming(cur, test));
        entries.push(...r.entries.map((e) => (test ? { ...e, test } : e)));
        cur = afterConditional(c, sub, test, r.dims, cur);
        return;
      }
      const m = moduleOf(c, st, present, init, (s) => `${prefixOf(s)}.${label ?? localName(s.item.term!, prefixOf(s))}`, assuming(cur, test));
      entries.push({ expr: m.expr, ...(label !== undefined ? { name: py.str(label) } : {}), ...(test ? { test } : {}) });
      cur = afterConditional(c, sub, test, m.dims, cur);
    });
  }
  const out = c.concrete ? [] : dimsOf(c, samples, (s) => s.item.output, flat(cur));
  return { ...build(c, entries, init, target), dims: out };
}

/** The items present, with an unlabelled repetition's items in its place (they take the sequence's next indices). */
export function spliced(items: readonly TItem[]): TItem[] {
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
export function repeatItems(t: Repeat, s: Sample): { stmts: readonly LayerStmt[]; items: readonly TItem[] } {
  const rep = s.item.term as TTerm & { kind: 'repeat' };
  const st: LayerStmt = { kind: 'Layer', span: t.span, term: t.body };
  return { stmts: rep.iterations.map(() => st), items: rep.iterations.map((it) => ({ stmt: st, taken: st, env: it.env, input: it.input, output: it.output, term: it.term })) };
}

/** A repetition inside a sequence of a block: `*(Block(...) for i in range(n))`, one entry. */
export function repetition(c: BodyContext, t: Repeat, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], prefixOf: (s: Sample) => string, dims: Dims): { entries: Entry[]; dims: Dims } {
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
      dimsOf(c, samples, (s) => s.item.output, [...flat(inner).filter((e) => !namesOf(e).has(v)), ...flat(dims)]);
    const st: LayerStmt = { kind: 'Layer', span: t.span, term: t.body };
    const m = body.length ? moduleOf(c, st, body, init, (s) => `${prefixOf(s)}.${localName(s.item.term!, prefixOf(s))}`, dims) : { expr: py.raw('None'), dims: [] };
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
export function moduleOf(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], prefixOf: (s: Sample) => string, dims: Dims = []): { expr: PyExpr; dims: Dims } {
  const t = stmt.term;
  switch (t.kind) {
    case 'Call': {
      const term = samples[0]!.item.term!;
      if (term.kind === 'layer') {
        const code = layerCode(layerContext(c), samples.map((s) => ({ env: envOf(c, s), term: s.item.term as TTerm & { kind: 'layer' } })), dims, t.span);
        if (code.kind === 'parameter') throw unsupported('the PyTorch backend cannot put a layer scale in a sequence: it is a parameter of a block', t.span, 'use it in a block, outside a labelled path');
        for (const [k, v] of code.helpers) c.helpers.set(k, v);
        logStride(c, code.attrs);
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
export function build(c: BodyContext, entries: readonly Entry[], init: PyStmt[], target: string | undefined): { expr?: PyExpr } {
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
export function compress(items: readonly PyExpr[]): PyExpr[] {
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

/** A block that is one template-labelled repetition: its items added to the block itself, an nn.Sequential. */
export function selfSequence(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], dims: Dims): Dims {
  return sequence(c, stmt, samples, init, (s) => s.inst.prefix, 'self', dims).dims;
}
