/**
 * What the writing of one class's body shares (body.ts and the files it calls): the samples (a
 * statement in each use of the block), the context, the forward flow, slots over samples, the
 * names things have in the IR, the candidate sizes of tensors (dims) and the flags of conditions.
 */
import type { Span } from '../diagnostics/span.js';
import type { TensorType } from '../ir/types.js';
import type { LayerStmt } from '../parser/ast.js';
import type { ShortcutPolicy } from '../passes/pass.js';
import { unsupported } from './errors.js';
import type { Dims, LayerContext } from './layer.js';
import * as py from './py/expr.js';
import { print, type PyExpr, type PyValue } from './py/expr.js';
import { type PyEnv } from './py/evaluate.js';
import { assign, type PyStmt } from './py/format.js';
import { assume, check, resolve, simplify, type SlotSample, type SlotType } from './slots.js';
import type { Signature } from './signature.js';
import type { Instance, TItem, TTerm } from './trace.js';
import { translate, type NameContext } from './translate.js';

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
  /** The channels of the output of a block's class, in its variables (undefined where not known). */
  readonly outputOf: (sig: Signature) => PyExpr | undefined;
  /** While the first operand of a residual is written: the strides of its layers, for its shortcut's. */
  readonly strides: PyExpr[][];
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
export interface Flow {
  fwd: PyStmt[];
  v: string;
  target: string;
  dims: Dims;
}

export const identRe = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envOf(c: BodyContext, s: Sample): PyEnv {
  const base = c.env(s.inst);
  if (s.loop.size === 0) return base;
  return new Map([...base, ...s.loop]);
}

/** A new local variable of `__init__` or of `forward`. */
export function fresh(c: BodyContext, where: 'init' | 'forward', base: string): string {
  const taken = c.locals[where];
  let n = base;
  for (let i = 2; taken.has(n); i++) n = `${base}${i}`;
  taken.add(n);
  return n;
}

export function slot(c: BodyContext, what: string, type: SlotType, samples: readonly Sample[], want: (s: Sample) => PyValue, candidates: readonly (PyExpr | undefined)[], span?: Span): PyExpr {
  const ss: SlotSample[] = samples.map((s) => ({ env: envOf(c, s), want: want(s) }));
  return resolve({ what, type, samples: ss, candidates, span }, { concrete: c.concrete });
}

export const channelsOf = (c: BodyContext, value: string) => c.types.get(value)!.shape[1] as number;

/** The source text of a span, on one line, shortened. */
export function sourceText(c: { sources: ReadonlyMap<string, string> }, span: Span, max = 60): string {
  const text = (c.sources.get(span.file) ?? '').slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** The name a labelled item of a sequence has in every use. */
export function sameName(samples: readonly Sample[], prefixOf: (s: Sample) => string, span: Span): string {
  const names = new Set(samples.map((s) => localName(s.item.term!, prefixOf(s))));
  if (names.size !== 1 || names.has(undefined)) throw unsupported('the PyTorch backend cannot name this item: its label differs between uses of its block', span);
  return [...names][0]!;
}

/** The local name, under `prefix`, of what an item became in the IR (its first node or instance). */
export function localName(term: TTerm, prefix: string): string | undefined {
  const full = firstName(term);
  if (full === undefined) return undefined;
  const rest = prefix === '' ? full : full.startsWith(`${prefix}.`) ? full.slice(prefix.length + 1) : undefined;
  return rest?.split('.')[0];
}

export function firstName(term: TTerm): string | undefined {
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
export function attrName(c: BodyContext, samples: readonly Sample[], prefix: (s: Sample) => string, span: Span, fallback?: string): string {
  const names = new Set<string>();
  for (const s of samples) {
    const n = s.item.term && localName(s.item.term, prefix(s));
    if (n !== undefined) names.add(n);
  }
  if (names.size > 1) throw unsupported(`the PyTorch backend cannot name this layer: it is ${[...names].join(' or ')} in different uses of its block`, span, 'label it');
  const n = [...names][0] ?? fallback;
  if (n === undefined) throw new Error('internal: an item without a name');
  checkAttr(n, span);
  c.attrs.add(n);
  return n;
}

/** Python's keywords: a layer named like one (`lambda:` is a label) is set and read by name. */
const keywords = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** What every nn.Module has (torch 1.13): a layer of that name would be hidden behind it. */
const moduleAttrs = new Set(
  ('T_destination add_module apply bfloat16 buffers children cpu cuda double dump_patches eval extra_repr float forward get_buffer ' +
    'get_extra_state get_parameter get_submodule half ipu load_state_dict modules named_buffers named_children named_modules ' +
    'named_parameters parameters register_backward_hook register_buffer register_forward_hook register_forward_pre_hook ' +
    'register_full_backward_hook register_load_state_dict_post_hook register_module register_parameter requires_grad_ ' +
    'set_extra_state share_memory state_dict to to_empty train training type xpu zero_grad').split(' '),
);

/** A name Python takes as `self.name`. */
const plain = (n: string) => identRe.test(n) && !keywords.has(n);

/** `self.conv1`, or `getattr(self, "block1-0")` for a name Python cannot write after a dot. */
export const selfAttr = (n: string) => (plain(n) ? `self.${n}` : `getattr(self, ${py.pyString(n)})`);

/** `self.conv1 = m`, or `self.add_module("lambda", m)` (`register_parameter` for a parameter). */
export function setAttr(n: string, e: PyExpr, kind: 'module' | 'parameter' = 'module'): PyStmt {
  if (plain(n)) return assign(`self.${n}`, e);
  return assign(undefined, py.call(kind === 'module' ? 'self.add_module' : 'self.register_parameter', [py.str(n), e]));
}

/** E0901 for a layer named like an attribute of every nn.Module (`to`, `train`, `forward`). */
export function checkAttr(n: string, span: Span | undefined): void {
  if (moduleAttrs.has(n) || n.startsWith('_'))
    throw unsupported(`the PyTorch backend cannot name a layer ${n}: every torch.nn.Module has an attribute of that name, which would hide the layer`, span, 'label it otherwise');
}

/** The candidates of `pool` that give each dimension of the samples' `value` in every use. */
export function dimsOf(c: BodyContext, samples: readonly Sample[], value: (s: Sample) => string, pool: readonly PyExpr[]): Dims {
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

export const flat = (d: Dims) => d.flat();

/** The dims inside what `test` guards: where it holds. */
export function assuming(d: Dims, test: PyExpr | undefined): Dims {
  return test ? d.map((axis) => axis.map((e) => assume(e, test, true))) : d;
}

/** After `X if test`: X's sizes where it is there, the earlier ones where not (`e if t != 1 else in_channels`), first. */
export function afterConditional(c: BodyContext, samples: readonly Sample[], test: PyExpr | undefined, inner: Dims, before: Dims): Dims {
  const joined = test ? inner.flatMap((axis, i) => (axis[0] && before[i]?.[0] ? [simplify(py.cond(test, axis[0], before[i]![0]!))] : [])) : [];
  return dimsOf(c, samples, (s) => s.item.output, [...joined, ...flat(inner), ...flat(before)]);
}

/** The condition of a statement, as a flag's value: checked against where the statement is present. */
export function condition(c: BodyContext, stmt: LayerStmt, samples: readonly Sample[]): PyExpr {
  return slot(c, `the condition of ${sourceText(c, stmt.span, 40)}`, 'bool', samples, (s) => ({ t: 'bool', v: s.item.taken !== undefined }), [translate(stmt.when!.cond, c.names)], stmt.when!.span);
}

/** The flag holding a condition in `self` (`self.residual`), made once per condition. */
export function flag(c: BodyContext, test: PyExpr, what: string | undefined): string {
  const text = print(test);
  const existing = c.flags.find((f) => f.k === 'assign' && print(f.value) === text);
  if (existing && existing.k === 'assign') return existing.target!.slice('self.'.length);
  let base = test.k === 'name' ? test.name : what ? `use_${what.replace(/\W/g, '_')}` : 'flag';
  if (c.attrs.has(base) || moduleAttrs.has(base) || !plain(base)) base = `use_${base.replace(/\W/g, '_')}`;
  let n = base;
  for (let i = 2; c.attrs.has(n); i++) n = `${base}${i}`;
  c.attrs.add(n);
  c.flags.push(assign(`self.${n}`, test));
  return n;
}

/** A layer's stride, noted for the shortcut of the residual being written (1 is not noted). */
export function logStride(c: BodyContext, attrs: ReadonlyMap<string, PyExpr>): void {
  const s = attrs.get('stride');
  if (s && !(s.k === 'lit' && s.v.t === 'int' && s.v.v === 1)) c.strides[c.strides.length - 1]?.push(s);
}

export const call = (name: string, v: string): PyExpr => py.call(selfAttr(name), [py.name(v)]);

/** `target = e` in forward; what follows reads target. */
export function apply(flow: Flow, e: PyExpr): void {
  flow.fwd.push(assign(flow.target, e));
  flow.v = flow.target;
}

export function layerContext(c: BodyContext): LayerContext {
  return { names: c.names, opts: { concrete: c.concrete }, types: c.types };
}

/** The forward flow of a body that starts from `x` with the channels `in_channels`. */
export function startFlow(fwd: PyStmt[], v: string, dims: Dims): Flow {
  return { fwd, v, target: v, dims };
}
