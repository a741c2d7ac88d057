/**
 * Built-in layer calls: a call's arguments bound generically to the op's declared arguments
 * (ir/ops/*.ts): positional ones in order, named ones by name, each checked for its kind and
 * validity, defaults filled in order (a default may depend on earlier arguments and on the call's
 * context), and the result turned into IR attributes. Unknown names, arguments given twice, too
 * many arguments and wrong kinds of value are diagnostics.
 */
import type { Span } from '../../diagnostics/span.js';
import { isInferError, opDef, type ArgDecl, type CallContext, type LayerName } from '../ops/index.js';
import type { Attrs, AttrValue } from '../types.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { Abort, fail } from './abort.js';
import { closest } from './suggest.js';
import { describe, wholeNumber, type BoundArg, type Value } from './values.js';

const kindText: Record<ArgDecl['kind'], string> = {
  int: 'an integer',
  real: 'a number',
  bool: 'true or false',
  policy: 'a shortcut policy A, B, C or auto',
  ints: 'integers',
};

/** The attribute value of an argument, or undefined when the value is of the wrong kind. */
function convert(kind: ArgDecl['kind'], v: Value): AttrValue | undefined {
  switch (kind) {
    case 'int':
    case 'ints':
      return wholeNumber(v);
    case 'real':
      return v.kind === 'int' || v.kind === 'real' ? v.v : undefined;
    case 'bool':
      return v.kind === 'bool' ? v.v : undefined;
    case 'policy':
      return v.kind === 'policy' ? v.v : undefined;
  }
}

function checkValue(what: string, d: ArgDecl, a: BoundArg): AttrValue {
  const v = convert(d.kind, a.value);
  if (v === undefined) {
    const fractional = (d.kind === 'int' || d.kind === 'ints') && a.value.kind === 'real';
    fail('E0107', `argument ${d.name} of ${what} must be ${kindText[d.kind]}, found ${describe(a.value)}`, a.span, {
      ...(fractional ? { help: 'round it explicitly: round(x), floor(x), ceil(x), make_divisible(x, 8), or use // for floor division' } : {}),
    });
  }
  return v;
}

/** E0104 for a keyword argument the layer does not take, with the closest one it does. */
export function unknownArgument(what: string, decls: readonly ArgDecl[], name: string, sp: Span, nameSpan?: Span): Diagnostic {
  const names = decls.map((s) => s.name);
  const near = closest(name, names);
  const help = near ? `${what} has an argument named \`${near}\` (it takes ${names.join(', ')})` : names.length ? `${what} takes ${names.join(', ')}` : `${what} takes no arguments`;
  return error('E0104', `${what} has no argument named ${name}`, sp, { help, ...(near && nameSpan ? { suggestion: { span: nameSpan, replacement: near } } : {}) });
}

/** Matches the given arguments to declarations: name -> the argument(s) given for it. */
function match(what: string, decls: readonly ArgDecl[], args: readonly BoundArg[]): Map<string, BoundArg[]> {
  const given = new Map<string, BoundArg[]>();
  const positional = decls.filter((d) => d.positional);
  let pi = 0;
  for (const a of args) {
    let d: ArgDecl | undefined;
    if (a.name === undefined) {
      d = positional[Math.min(pi++, positional.length - 1)];
      if (!d || (pi > positional.length && !d.variadic))
        fail('E0103', `${what} takes ${positional.length === 0 ? 'no' : `at most ${positional.length}`} positional argument${positional.length === 1 ? '' : 's'}`, a.span, {
          ...(decls.length ? { help: `name the argument: ${decls.map((s) => s.name).join(', ')}` } : {}),
        });
    } else {
      d = decls.find((s) => s.name === a.name);
      if (!d) throw new Abort(unknownArgument(what, decls, a.name, a.span));
    }
    const prev = given.get(d.name);
    if (prev && !(d.variadic && a.name === undefined && prev[0]!.name === undefined))
      fail('E0105', `argument ${d.name} is given twice`, a.span, { labels: [{ span: prev[0]!.span, message: 'first given here' }] });
    given.set(d.name, [...(prev ?? []), a]);
  }
  return given;
}

function validate(what: string, d: ArgDecl, v: AttrValue, bound: ReadonlyMap<string, AttrValue>, sp: Span): void {
  const complaint =
    d.check === 'positive'
      ? (v as number) < 1
        ? `must be at least 1, found ${v}`
        : undefined
      : d.check === 'nonNegative'
        ? (v as number) < 0
          ? `must be at least 0, found ${v}`
          : undefined
        : d.check?.(v, bound);
  if (complaint) fail('E0109', `${d.name} of ${what} ${complaint}`, sp);
}

/**
 * The attributes of calls already bound, by a key of the call (name, arguments, context): a block
 * expanded at many places calls its layers with the same arguments, and each binding is
 * deterministic, so it is done once. Attribute objects are shared, never written.
 */
const bound = new Map<string, Attrs>();

function valueKey(v: Value): string | undefined {
  return v.kind === 'int' || v.kind === 'real' || v.kind === 'bool' || v.kind === 'policy' ? `${v.kind}:${v.v}` : undefined;
}

function callKey(what: string, args: readonly BoundArg[], ctx: CallContext): string | undefined {
  let key = `${what}|${ctx.blockOut}|${ctx.inChannels}`;
  for (const a of args) {
    const v = valueKey(a.value);
    if (v === undefined) return undefined;
    key += `|${a.name ?? ''}=${v}`;
  }
  return key;
}

/**
 * The IR attributes of a call of a built-in layer: every attribute of the op (its declared
 * defaults for those the form leaves out). `what` is the name as written (`conv3`), `use` what it
 * resolved to.
 */
export function layerAttrs(what: string, use: LayerName, args: readonly BoundArg[], callSpan: Span, ctx: CallContext): Attrs {
  const key = callKey(what, args, ctx);
  const known = key === undefined ? undefined : bound.get(key);
  if (known) return known;
  const attrs = bindLayerArgs(what, use, args, callSpan, ctx);
  if (key !== undefined && bound.size < 10_000) bound.set(key, attrs);
  return attrs;
}

function bindLayerArgs(what: string, use: LayerName, args: readonly BoundArg[], callSpan: Span, ctx: CallContext): Attrs {
  const fixed = use.size !== undefined ? use.form.sizeInName : undefined;
  const decls = use.form.args.filter((d) => d.name !== fixed);
  const given = match(what, decls, args);
  const bound = new Map<string, AttrValue>();
  if (fixed !== undefined) bound.set(fixed, use.size!);
  // given values first, then constant defaults, then computed ones (which may read any of those)
  for (const d of decls) {
    const gs = given.get(d.name);
    if (!gs) continue;
    const vs = gs.map((g) => checkValue(what, d, g));
    gs.forEach((g, i) => validate(what, d, vs[i]!, bound, g.span));
    bound.set(d.name, d.variadic ? (vs as number[]) : vs[0]!);
  }
  for (const d of decls) if (!bound.has(d.name) && d.default !== undefined && typeof d.default !== 'function') bound.set(d.name, d.default);
  for (const d of decls) {
    if (bound.has(d.name)) continue;
    const v = typeof d.default === 'function' ? d.default(bound, ctx) : undefined;
    if (v === undefined) {
      const m = d.missing;
      fail(m?.code ?? 'E0106', `${what} ${m?.message ?? `needs a value for ${d.name}`}`, callSpan, { help: m?.help(what) ?? `write ${what}(${d.name} = ...)` });
    }
    bound.set(d.name, v);
  }
  const ordered = new Map([...(fixed !== undefined ? [fixed] : []), ...decls.map((d) => d.name)].map((k) => [k, bound.get(k)!] as const));
  const attrs = use.form.attrs ? use.form.attrs(ordered, ctx) : (Object.fromEntries(ordered) as Attrs);
  if (isInferError(attrs)) fail(attrs.code, attrs.message, callSpan, attrs.help ? { help: attrs.help } : {});
  return Object.freeze({ ...opDef(use.op).attrs, ...attrs });
}
