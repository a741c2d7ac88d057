/**
 * The constructor of a block's class: `in_channels` first (the channels of the block's input: the
 * spec's `in`, which a block may leave undeclared), then the block's parameters without a
 * default, then those with one. A constant default is written in the signature (`stride=1`); one
 * computed from other parameters is `None` there and computed first thing in `__init__`
 * (`if width is None: width = ...`). A default with no Python form makes its parameter required.
 * A call may leave a parameter out only where the default gives that use's value, which is
 * checked for each use.
 */
import type { BlockDecl } from '../parser/ast.js';
import type { Span } from '../diagnostics/span.js';
import { unsupported } from './errors.js';
import * as py from './py/expr.js';
import { type PyExpr, type PyValue } from './py/expr.js';
import { namesOf, pyEqual, tryEvaluate, type PyEnv } from './py/evaluate.js';
import type { FileScope } from '../ir/elaborate/scope.js';
import type { Instance } from './trace.js';
import { pyValue, translate, type NameContext } from './translate.js';

export interface SigParam {
  /** The spec's parameter; undefined for `in_channels` where the block declares no `in`. */
  readonly spec: string | undefined;
  readonly py: string;
  /** The default; absent for a required parameter. */
  readonly default?: PyExpr;
  /** The default is computed in `__init__` (None in the signature). */
  readonly computed: boolean;
  /** Wrapped in int() where computed: a `/` giving whole numbers used as channel counts. */
  readonly coerced: boolean;
}

export interface Signature {
  readonly name: string;
  readonly decl: BlockDecl;
  readonly span: Span;
  /** In Python's order: in_channels, required, defaulted. */
  readonly params: readonly SigParam[];
  /** The Python variable of each spec parameter (`in` is `in_channels`). */
  readonly pyName: ReadonlyMap<string, string>;
  /** The class's variables in one use of the block. */
  env(inst: Instance): PyEnv;
  /** Whether the default of `p` gives its value in a use whose variables are `env`. */
  defaultGives(p: SigParam, env: PyEnv): boolean;
}

/** Names a parameter cannot have in Python: keywords, and the names the emitted code uses. */
const reserved = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if import in is ' +
    'lambda nonlocal not or pass raise return try while with yield self layers nn torch super int float round min max range str ' +
    'len list floor ceil make_divisible shortcut print type object').split(' '),
);

/** A Python identifier for a spec name, distinct from `taken`. */
export function pyIdent(name: string, taken: ReadonlySet<string>): string {
  let n = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');
  if (reserved.has(n)) n = `${n}_`;
  while (taken.has(n)) n = `${n}_`;
  return n;
}

export interface SignatureOptions {
  readonly name: string;
  readonly decl: BlockDecl;
  readonly scope: FileScope;
  readonly instances: readonly Instance[];
  readonly classOf: NameContext['classOf'];
  readonly types: ReadonlyMap<string, { shape: readonly (number | string)[] }>;
  /** Parameters whose computed default is wrapped in int(). */
  readonly coerce: ReadonlySet<string>;
}

export function signature(o: SignatureOptions): Signature {
  const { decl } = o;
  const pyName = new Map<string, string>();
  const taken = new Set<string>();
  const declaresIn = decl.params.some((p) => p.name.name === 'in');
  // in_channels first, so that no parameter takes its name
  taken.add('in_channels');
  if (declaresIn) pyName.set('in', 'in_channels');
  for (const p of decl.params) {
    if (p.name.name === 'in') continue;
    const n = pyIdent(p.name.name, taken);
    taken.add(n);
    pyName.set(p.name.name, n);
  }

  // a default sees the parameters declared before it, as in the spec
  const defaults = new Map<string, PyExpr | undefined>();
  const seen = new Set<string>();
  for (const p of decl.params) {
    const n = p.name.name;
    if (p.default && n !== 'in') {
      const names: NameContext = {
        variable: (v) => (seen.has(v) ? pyName.get(v) : undefined),
        decl: (d) => o.scope.get(d),
        classOf: o.classOf,
      };
      defaults.set(n, translate(p.default, names));
    }
    seen.add(n);
  }

  const envs = new Map<Instance, PyEnv>();
  const env = (inst: Instance): PyEnv => {
    let e = envs.get(inst);
    if (e) return e;
    const m = new Map<string, PyValue>();
    m.set('in_channels', { t: 'int', v: o.types.get(inst.input)!.shape[1] as number });
    for (const p of decl.params) {
      const v = inst.env.vars.get(p.name.name)!;
      const pv = pyValue(v, o.classOf);
      if (pv === undefined)
        throw unsupported(`the PyTorch backend cannot pass parameter ${p.name.name} of ${decl.name.name}: a block with arguments bound has no Python value here`, p.span, 'pass the block and its arguments separately');
      const name = pyName.get(p.name.name)!;
      m.set(name, o.coerce.has(p.name.name) && pv.t === 'float' ? { t: 'int', v: pv.v } : pv);
    }
    envs.set(inst, (e = m));
    return e;
  };

  const params: SigParam[] = [];
  const inParam: SigParam = { spec: declaresIn ? 'in' : undefined, py: 'in_channels', computed: false, coerced: false };
  const required: SigParam[] = [];
  const optional: SigParam[] = [];
  for (const p of decl.params) {
    const n = p.name.name;
    if (n === 'in') continue;
    const d = defaults.get(n);
    const coerced = o.coerce.has(n) && d !== undefined;
    if (d === undefined) required.push({ spec: n, py: pyName.get(n)!, computed: false, coerced: false });
    else {
      const computed = namesOf(d).size > 0;
      optional.push({ spec: n, py: pyName.get(n)!, default: coerced ? py.call('int', [d]) : d, computed, coerced });
    }
  }
  params.push(inParam, ...required, ...optional);

  return {
    name: o.name,
    decl,
    span: decl.name.span,
    params,
    pyName,
    env,
    defaultGives(p, e) {
      if (p.default === undefined) return false;
      const got = tryEvaluate(p.default, e);
      const want = e.get(p.py)!;
      return got !== undefined && got.t === want.t && pyEqual(got, want);
    },
  };
}
