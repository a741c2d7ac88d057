/**
 * A block's body (or the network's) as the `__init__` and `forward` of its class, statement by
 * statement, following the spec's text:
 *
 *   - A layer, block call, labelled path or repetition at the body's level is an attribute
 *     (`self.conv1 = nn.Conv2d(...)`) named as the IR names it, applied in `forward`
 *     (`x = self.conv1(x)`); an unlabelled path is its items, inline. Labelled paths and
 *     repetitions are nn.Sequentials (sequence.ts), residuals and products `out = out + ...`
 *     (residual.ts), block calls `Class(...)` (call.ts).
 *   - A condition (`X if c`) is an `if` around what X adds to `__init__`, and, where X does
 *     something in `forward`, a flag set in `__init__` (`self.residual = ...`) and tested there.
 *
 * Each use of the block is a sample: the same statement, traced in that use (trace.ts). Every
 * value written is a slot checked against all samples (slots.ts). In the network's class there is
 * one use and nothing to generalize: conditions are resolved, repetitions unrolled, values literal.
 */
import type { LayerStmt } from '../parser/ast.js';
import { blockCall } from './call.js';
import { afterConditional, apply, assuming, attrName, call, checkAttr, condition, dimsOf, envOf, flag, flat, layerContext, localName, logStride, selfAttr, setAttr, sourceText, type BodyContext, type Flow, type Sample } from './context.js';
import { unsupported } from './errors.js';
import { layerCode } from './layer.js';
import * as py from './py/expr.js';
import { assign, type PyStmt } from './py/format.js';
import { combination } from './residual.js';
import { moduleOf, sequence } from './sequence.js';
import type { TItem, TTerm } from './trace.js';

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
  const inner: Flow = { ...flow, fwd: [], dims: assuming(flow.dims, test) };
  item(c, taken, present, body, inner);
  init.push({ k: 'if', test, body });
  if (inner.fwd.length) {
    if (inner.v !== flow.v) inner.fwd.push(assign(flow.v, py.name(inner.v)));
    flow.fwd.push({ k: 'if', test: py.raw(`self.${flag(c, test, attrNameOf(taken, present))}`), body: inner.fwd });
  }
  flow.dims = afterConditional(c, samples, test, inner.dims, flow.dims);
}

/** The attribute a conditional statement makes, to name its flag after (`use_post`). */
function attrNameOf(taken: LayerStmt, present: readonly Sample[]): string | undefined {
  if (taken.label?.kind === 'Ident') return taken.label.name;
  const t = present[0]!.item.term;
  return t ? localName(t, present[0]!.inst.prefix) : undefined;
}

/** A present statement at the body's level. */
function item(c: BodyContext, taken: LayerStmt, samples: readonly Sample[], init: PyStmt[], flow: Flow): void {
  const t = taken.term;
  const prefix = (s: Sample) => s.inst.prefix;
  switch (t.kind) {
    case 'Call': {
      const name = attrName(c, samples, prefix, taken.label?.span ?? t.span);
      const term = samples[0]!.item.term!;
      if (term.kind === 'layer') {
        const code = layerCode(layerContext(c), samples.map((s) => ({ env: envOf(c, s), term: s.item.term as TTerm & { kind: 'layer' } })), flow.dims, t.span);
        for (const [k, v] of code.helpers) c.helpers.set(k, v);
        logStride(c, code.attrs);
        init.push(setAttr(name, code.expr, code.kind));
        apply(flow, code.kind === 'parameter' ? py.bin('*', py.name(flow.v), py.raw(selfAttr(name))) : call(name, flow.v));
        flow.dims = dimsOf(c, samples, (s) => s.item.output, [...code.pool, ...flat(flow.dims)]);
      } else {
        const { expr, pool } = blockCall(c, samples, flow.dims);
        init.push(setAttr(name, expr));
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
      return combination(c, t, samples, init, flow, item);
  }
}

/** An item of the network's unrolled template repetition: an attribute with a name Python may not allow (`block1-0`). */
function named(c: BodyContext, name: string, single: TItem, s: Sample, init: PyStmt[], flow: Flow): void {
  checkAttr(name, single.stmt.span);
  const expr = moduleOf(c, single.taken!, [{ ...s, item: single }], init, () => name).expr;
  c.attrs.add(name);
  init.push(setAttr(name, expr));
  apply(flow, call(name, flow.v));
}

/** A labelled path or repetition at the body's level: `self.label = nn.Sequential(...)`. */
function sequenceAttr(c: BodyContext, taken: LayerStmt, samples: readonly Sample[], init: PyStmt[], flow: Flow): void {
  const label = attrName(c, samples, (s) => s.inst.prefix, taken.label?.span ?? taken.span);
  const target = selfAttr(label).startsWith('self.') ? selfAttr(label) : undefined;
  const seq = sequence(c, taken, samples, init, (s) => (s.inst.prefix ? `${s.inst.prefix}.${label}` : label), target, flow.dims);
  if (seq.expr) init.push(target ? assign(target, seq.expr) : assign(undefined, py.call('self.add_module', [py.str(label), seq.expr])));
  apply(flow, call(label, flow.v));
  flow.dims = seq.dims;
}
