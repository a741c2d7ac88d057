/**
 * A built-in layer in the emitted code: its op's PyTorch form (the op's definition, src/ir/ops)
 * made concrete for a class. Every argument is a slot (slots.ts) whose samples are the layer's
 * attributes and input sizes in each use; its candidates are what the spec wrote for it, the size
 * in the name (`conv3`), and the op's rule for its default (`dilation * (k - 1) // 2`, the
 * block's `out`, the input's channels), never a value that only happens to be equal. A keyword
 * argument whose value is PyTorch's default is left out.
 */
import { opDef } from '../ir/ops/index.js';
import type { PyTorchArg, PyTorchForm, PyTorchValue } from '../ir/ops/op.js';
import type { Attrs, AttrValue, TensorType } from '../ir/types.js';
import * as py from './py/expr.js';
import { print, type PyExpr, type PyValue } from './py/expr.js';
import { type PyEnv } from './py/evaluate.js';
import { literal, resolve, type ResolveOptions, type SlotType } from './slots.js';
import { translate, type NameContext } from './translate.js';
import type { ArgSource, TTerm } from './trace.js';
import { unsupported } from './errors.js';
import type { Span } from '../diagnostics/span.js';

/** Candidate expressions for each dimension of a tensor (index: the axis). */
export type Dims = readonly (readonly PyExpr[])[];

/** One use of a layer: the class's variables there, and the traced call. */
export interface LayerSample {
  readonly env: PyEnv;
  readonly term: TTerm & { kind: 'layer' };
}

export interface LayerCode {
  /** The module (`nn.Conv2d(...)`), or for a parameter form the nn.Parameter. */
  readonly expr: PyExpr;
  readonly kind: 'module' | 'parameter';
  /** Helper definitions it needs, by name. */
  readonly helpers: ReadonlyMap<string, string>;
  /** Integer expressions it computed (candidates for the sizes of its output). */
  readonly pool: readonly PyExpr[];
  /** The expression written for each attribute. */
  readonly attrs: ReadonlyMap<string, PyExpr>;
}

export interface LayerContext {
  readonly names: NameContext;
  readonly opts: ResolveOptions;
  readonly types: ReadonlyMap<string, TensorType>;
}

function pyOf(type: SlotType, v: AttrValue): PyValue {
  switch (type) {
    case 'int':
      return { t: 'int', v: v as number };
    case 'float':
      return { t: 'float', v: v as number };
    case 'bool':
      return { t: 'bool', v: v as boolean };
    case 'str':
      return { t: 'str', v: String(v) };
    case 'ints':
      return { t: 'list', v: (v as number[]).map((x) => ({ t: 'int', v: x })) };
    case 'cls':
      return { t: 'cls', v: String(v) };
  }
}

/** The value a form's argument has in one use. */
function wanted(from: PyTorchValue, type: SlotType, attrs: Attrs, inputs: readonly TensorType[]): PyValue {
  if ('value' in from) return pyOf(type, from.value);
  if ('dim' in from) {
    const shape = inputs[0]!.shape;
    return pyOf(type, shape[from.dim < 0 ? shape.length + from.dim : from.dim] as number);
  }
  const v = attrs[from.attr]!;
  const mapped = from.map?.find(([k]) => k === v);
  return pyOf(type, mapped ? mapped[1] : v);
}

/** The source text of an argument given to the layer, in Python. */
function fromSource(s: ArgSource, type: SlotType, names: NameContext): PyExpr | undefined {
  if ('expr' in s) return translate(s.expr, names);
  const v = s.value;
  if (v.kind === 'int' || v.kind === 'real') return literal(type, { t: v.kind === 'int' ? 'int' : 'float', v: v.v });
  if (v.kind === 'bool') return py.bool(v.v);
  return undefined;
}

/** `dilation * (k - 1) // 2`: names, integers, + - * // and parentheses, with each name's expression given. */
export function parseDerived(text: string, lookup: (name: string) => PyExpr | undefined): PyExpr | undefined {
  const tokens = text.match(/\d+|[A-Za-z_]\w*|\/\/|[-+*()]/g) ?? [];
  let i = 0;
  const atom = (): PyExpr | undefined => {
    const t = tokens[i++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const e = sum();
      i++;
      return e;
    }
    if (/^\d+$/.test(t)) return py.int(Number(t));
    return lookup(t);
  };
  const product = (): PyExpr | undefined => {
    let l = atom();
    while (tokens[i] === '*' || tokens[i] === '//') {
      const op = tokens[i++] as '*' | '//';
      const r = atom();
      l = l && r && py.bin(op, l, r);
    }
    return l;
  };
  const sum = (): PyExpr | undefined => {
    let l = product();
    while (tokens[i] === '+' || tokens[i] === '-') {
      const op = tokens[i++] as '+' | '-';
      const r = product();
      l = l && r && py.bin(op, l, r);
    }
    return l;
  };
  return sum();
}

const inputTypes = (ctx: LayerContext, s: LayerSample) => s.term.node.inputs.map((v) => ctx.types.get(v)!);

/** The layer's form, which must be the same in every use (the structure of a class cannot vary). */
function formOf(ctx: LayerContext, samples: readonly LayerSample[], span: Span): PyTorchForm {
  const forms = samples.map((s) => {
    const def = opDef(s.term.node.op);
    return def.pytorch.form({ ...def.attrs, ...s.term.node.attrs }, inputTypes(ctx, s));
  });
  const text = JSON.stringify(forms[0]);
  if (forms.some((f) => JSON.stringify(f) !== text)) throw unsupported('the layer is a different PyTorch module in different uses of its block', span);
  return forms[0]!;
}

/** The PyTorch code of a layer used in `samples` (one per use), with the incoming tensor's dimension candidates. */
export function layerCode(ctx: LayerContext, samples: readonly LayerSample[], dims: Dims, span: Span): LayerCode {
  const first = samples[0]!;
  const def = opDef(first.term.node.op);
  const variable = ctx.names.variable(first.term.call.callee.name);
  if (variable !== undefined) return layerOfVariable(ctx, samples, variable, span);
  const form = formOf(ctx, samples, span);
  const helpers = new Map(Object.entries(def.pytorch.helpers ?? {}));
  const resolved = new Map<string, PyExpr>();
  const pool: PyExpr[] = [];
  const inputSizes: PyExpr[] = [];
  const what = `an argument of ${first.term.call.callee.name}`;

  // a name in a derived default: an attribute written before, `in`, `block_out`, or an argument of the call
  const named = (n: string, input: PyExpr | undefined): PyExpr | undefined => {
    if (resolved.has(n)) return resolved.get(n);
    if (n === 'in') return input;
    if (n === 'block_out') return ctx.names.variable('out') === undefined ? undefined : py.name(ctx.names.variable('out')!);
    const decl = first.term.use.form.args.find((d) => d.name === n);
    const given = first.term.given.get(n);
    if (given && samples.every((s) => s.term.given.get(n)?.[0] === given[0])) return fromSource(given[0]!, decl?.kind === 'real' ? 'float' : 'int', ctx.names);
    return decl && !given && (typeof decl.default === 'number' || typeof decl.default === 'boolean') ? literal(decl.kind === 'real' ? 'float' : 'int', pyOf('int', decl.default)) : undefined;
  };

  const slot = (arg: PyTorchArg | { from: PyTorchValue; type?: PyTorchArg['type'] }, derivedOk: boolean): PyExpr => {
    const type: SlotType = arg.type ?? 'int';
    const from = arg.from;
    const want = samples.map((s) => ({ env: s.env, want: wanted(from, type, { ...def.attrs, ...s.term.node.attrs }, inputTypes(ctx, s)) }));
    const candidates: (PyExpr | undefined)[] = [];
    if ('value' in from) candidates.push(literal(type, pyOf(type, from.value)));
    else if ('dim' in from) {
      const rank = inputTypes(ctx, first)[0]!.shape.length;
      candidates.push(...(dims[from.dim < 0 ? rank + from.dim : from.dim] ?? []));
    } else {
      const attr = from.attr;
      for (const src of distinctSources(samples, attr)) {
        if (type === 'ints') {
          const items = src.map((x) => fromSource(x, 'int', ctx.names));
          candidates.push(items.every((x) => x !== undefined) ? { k: 'list', items: items as PyExpr[] } : undefined);
        } else {
          const e = src[0] && fromSource(src[0], from.map ? 'bool' : type, ctx.names);
          const m = from.map;
          candidates.push(e && m ? mapped(e, m) : e);
        }
      }
      if (first.term.use.size !== undefined && first.term.use.form.sizeInName === attr) candidates.push(py.int(first.term.use.size));
      const derived = typeof from.derived === 'string' ? from.derived : from.derived?.[first.term.use.form.name];
      if (derived !== undefined && derivedOk) for (const c of dims[1]?.length ? dims[1] : [undefined]) candidates.push(parseDerived(derived, (n) => named(n, c)));
    }
    const e = resolve({ what: `${what} (${'attr' in from ? from.attr : 'dim' in from ? 'its input size' : 'a constant'})`, type, samples: want, candidates, span }, ctx.opts);
    // the sizes of the output: what the layer's attributes say before what its input's were
    if (type === 'int') ('dim' in from ? inputSizes : pool).push(e);
    return e;
  };

  if (form.kind === 'operator') throw new Error(`internal: ${def.name} is an operator, not a layer`);
  if (form.kind === 'parameter') {
    const shape = form.shape.map((d) => slot({ from: d }, false));
    const fill = slot(form.fill, false);
    const expr = py.call('nn.Parameter', [py.call('torch.full', [{ k: 'tuple', items: shape }, fill])]);
    return { expr, kind: 'parameter', helpers, pool: [...pool, ...inputSizes], attrs: resolved };
  }
  // arguments without a derived default first: a derived one reads them
  const values = new Map<PyTorchArg, PyExpr>();
  for (const pass of [false, true])
    for (const a of form.args) {
      const derived = 'attr' in a.from && a.from.derived !== undefined;
      if (derived !== pass) continue;
      const e = slot(a, true);
      values.set(a, e);
      if ('attr' in a.from) resolved.set(a.from.attr, e);
    }
  const args: PyExpr[] = [];
  const kwargs: [string, PyExpr][] = [];
  for (const a of form.args) {
    const e = values.get(a)!;
    if (a.name === undefined) {
      args.push(e);
      continue;
    }
    if (isDefault(a, e, form.args, values)) continue;
    kwargs.push([a.name, e]);
  }
  return { expr: py.call(form.cls, args, kwargs), kind: 'module', helpers, pool: [...pool, ...inputSizes], attrs: resolved };
}

/**
 * A layer passed to the block as a value (`act` in `<conv1(e); bn; act>`): `act()`, the class the
 * parameter holds, where each use's layer is a module without arguments.
 */
function layerOfVariable(ctx: LayerContext, samples: readonly LayerSample[], variable: string, span: Span): LayerCode {
  const helpers = new Map<string, string>();
  const want = samples.map((s) => {
    const def = opDef(s.term.node.op);
    const form = def.pytorch.form({ ...def.attrs, ...s.term.node.attrs }, inputTypes(ctx, s));
    if (form.kind !== 'module' || form.args.length > 0) throw unsupported(`the PyTorch backend can pass a layer to a block only where it takes no arguments (an activation)`, span);
    for (const [k, v] of Object.entries(def.pytorch.helpers ?? {})) helpers.set(k, v);
    return { env: s.env, want: { t: 'cls', v: form.cls } as PyValue };
  });
  const cls = resolve({ what: `the layer ${variable}`, type: 'cls', samples: want, candidates: [py.name(variable)], span }, ctx.opts);
  return { expr: py.call(print(cls)), kind: 'module', helpers, pool: [], attrs: new Map() };
}

/** A keyword argument left out: its value is PyTorch's default (a constant, or the same code as another argument). */
function isDefault(a: PyTorchArg, e: PyExpr, all: readonly PyTorchArg[], values: ReadonlyMap<PyTorchArg, PyExpr>): boolean {
  const d = a.default;
  if (d === undefined) return false;
  if (typeof d === 'object' && d !== null && 'sameAs' in d) {
    const other = all.find((o) => 'attr' in o.from && o.from.attr === d.sameAs);
    return other !== undefined && print(values.get(other)!) === print(e);
  }
  return e.k === 'lit' && print(e) === print(literal(a.type ?? 'int', pyOf(a.type ?? 'int', d as AttrValue)));
}

/** `"batch" if b else "row"`: a flag's expression through the form's mapping of its values. */
function mapped(e: PyExpr, m: readonly (readonly [AttrValue, string])[]): PyExpr | undefined {
  const t = m.find(([k]) => k === true)?.[1];
  const f = m.find(([k]) => k === false)?.[1];
  if (t === undefined || f === undefined) return undefined;
  if (e.k === 'lit' && e.v.t === 'bool') return py.str(e.v.v ? t : f);
  return py.cond(e, py.str(t), py.str(f));
}

/** The distinct sources given for an argument across the uses (usually one: the same call). */
function distinctSources(samples: readonly LayerSample[], attr: string): (readonly ArgSource[])[] {
  const out: (readonly ArgSource[])[] = [];
  for (const s of samples) {
    const src = s.term.given.get(attr);
    if (src && !out.some((o) => o.length === src.length && o.every((x, i) => sameSource(x, src[i]!)))) out.push(src);
  }
  return out;
}

function sameSource(a: ArgSource, b: ArgSource): boolean {
  if ('expr' in a && 'expr' in b) return a.expr === b.expr;
  return JSON.stringify(a) === JSON.stringify(b);
}
