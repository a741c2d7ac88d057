/**
 * The spec's expressions and values in Python. The language's arithmetic is Python's (`/` true
 * division, `//` floor division, `round` to even, `max` of numbers), so an expression translates
 * operator for operator; a name is a parameter of the class being written (`in` is `in_channels`),
 * a block (its class), a built-in layer used as a value (its torch.nn class: `act = relu` is
 * nn.ReLU) or a shortcut policy (a string). floor, ceil and make_divisible are helper functions of
 * the emitted file. What has no Python form here (a block with arguments bound, used as a value)
 * translates to undefined, and the emitter looks for another way to write that value.
 */
import type { BlockDecl, Expr, NetworkDecl } from '../parser/ast.js';
import { builtinFunctions } from '../ir/elaborate/functions.js';
import type { DeclRef } from '../ir/elaborate/scope.js';
import type { Value } from '../ir/elaborate/values.js';
import { opDef, resolveLayerName } from '../ir/ops/index.js';
import * as py from './py/expr.js';
import type { PyExpr, PyValue } from './py/expr.js';

/** What the names of an expression mean where it is written. */
export interface NameContext {
  /** The Python variable of a spec variable (a parameter, a repetition index), or undefined when it is not one. */
  variable(name: string): string | undefined;
  /** The block or network a name declares there. */
  decl(name: string): DeclRef | undefined;
  /** The Python class of a block. */
  classOf(decl: BlockDecl | NetworkDecl): string | undefined;
}

/** The torch.nn class of a built-in layer used as a value, when it has no arguments (nn.ReLU); undefined otherwise. */
export function layerClass(name: string): string | undefined {
  const use = resolveLayerName(name);
  if (!use || use.size !== undefined || use.form.args.length > 0) return undefined;
  const def = opDef(use.op);
  const form = def.pytorch.form({ ...def.attrs }, []);
  return form.kind === 'module' && form.args.length === 0 ? form.cls : undefined;
}

/** A value of the language as a Python value; undefined for one with arguments bound. */
export function pyValue(v: Value, classOf: NameContext['classOf']): PyValue | undefined {
  switch (v.kind) {
    case 'int':
      return { t: 'int', v: v.v };
    case 'real':
      return { t: 'float', v: v.v };
    case 'bool':
      return { t: 'bool', v: v.v };
    case 'policy':
      return { t: 'str', v: v.v || 'auto' };
    case 'layer': {
      const cls = v.bound.length ? undefined : layerClass(v.name);
      return cls === undefined ? undefined : { t: 'cls', v: cls };
    }
    case 'block': {
      const cls = v.bound.length ? undefined : classOf(v.ref.decl);
      return cls === undefined ? undefined : { t: 'cls', v: cls };
    }
  }
}

const functionNames: Readonly<Record<string, string>> = { round: 'round', int: 'int', min: 'min', max: 'max', floor: 'floor', ceil: 'ceil', make_divisible: 'make_divisible' };

/** The expression in Python, or undefined where some part has no Python form. */
export function translate(e: Expr, names: NameContext): PyExpr | undefined {
  const t = (x: Expr) => translate(x, names);
  switch (e.kind) {
    case 'Int':
      return py.int(e.value);
    case 'Float':
      return py.float(e.value);
    case 'Bool':
      return py.bool(e.value);
    case 'Name': {
      const v = names.variable(e.name);
      if (v !== undefined) return py.name(v);
      const d = names.decl(e.name);
      if (d) {
        const cls = names.classOf(d.decl);
        return cls === undefined ? undefined : py.lit({ t: 'cls', v: cls });
      }
      const layer = resolveLayerName(e.name) ? layerClass(e.name) : undefined;
      if (layer !== undefined) return py.lit({ t: 'cls', v: layer });
      if (e.name === 'A' || e.name === 'B' || e.name === 'C' || e.name === 'auto') return py.str(e.name);
      return undefined;
    }
    case 'Unary': {
      const x = t(e.operand);
      return x && { k: 'unary', op: e.op, x };
    }
    case 'Binary': {
      const [l, r] = [t(e.left), t(e.right)];
      return l && r && py.bin(e.op, l, r);
    }
    case 'Compare': {
      const [l, r] = [t(e.left), t(e.right)];
      return l && r && py.cmp(e.op, l, r);
    }
    case 'Logical': {
      const [l, r] = [t(e.left), t(e.right)];
      return l && r && { k: 'logic', op: e.op, l, r };
    }
    case 'CallExpr': {
      const name = e.callee.name;
      const fn = names.variable(name) === undefined && !names.decl(name) && builtinFunctions.has(name) ? functionNames[name] : undefined;
      if (fn === undefined || e.args.some((a) => a.name !== undefined)) return undefined;
      const args = e.args.map((a) => t(a.value));
      return args.every((a) => a !== undefined) ? py.call(fn, args as PyExpr[]) : undefined;
    }
  }
}
