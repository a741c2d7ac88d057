/**
 * Binding call arguments to parameters: positional ones in order, then named ones; unknown names,
 * a parameter given twice, too many arguments and wrong kinds of value are diagnostics.
 */
import type { Span } from '../../diagnostics/span.js';
import { fail } from './abort.js';
import { describe, type BoundArg, type Value } from './values.js';

export interface ArgSpec {
  name: string;
  kind: 'int' | 'number' | 'bool' | 'policy';
  /** May be given without a name, in this order. */
  positional?: boolean;
}

export type BoundArgs = Map<string, { value: Value; span: Span }>;

export function bindBuiltinArgs(what: string, specs: readonly ArgSpec[], args: readonly BoundArg[], callSpan: Span): BoundArgs {
  const out: BoundArgs = new Map();
  if (args.length === 0) return out;
  const positional = specs.filter((s) => s.positional);
  let pi = 0;
  for (const a of args) {
    let spec: ArgSpec | undefined;
    if (a.name === undefined) {
      spec = positional[pi++];
      if (!spec)
        fail('E0103', `${what} takes ${positional.length === 0 ? 'no' : `at most ${positional.length}`} positional argument${positional.length === 1 ? '' : 's'}`, a.span, {
          ...(specs.length ? { help: `name the argument: ${specs.map((s) => s.name).join(', ')}` } : {}),
        });
    } else {
      spec = specs.find((s) => s.name === a.name);
      if (!spec)
        fail('E0104', `${what} has no argument named ${a.name}`, a.span, {
          help: specs.length ? `${what} takes ${specs.map((s) => s.name).join(', ')}` : `${what} takes no arguments`,
        });
    }
    const prev = out.get(spec.name);
    if (prev) fail('E0105', `argument ${spec.name} is given twice`, a.span, { labels: [{ span: prev.span, message: 'first given here' }] });
    out.set(spec.name, { value: checkKind(what, spec, a.value, a.span), span: a.span });
  }
  return out;
}

function checkKind(what: string, spec: ArgSpec, v: Value, sp: Span): Value {
  const ok =
    (spec.kind === 'int' && v.kind === 'int') ||
    (spec.kind === 'number' && (v.kind === 'int' || v.kind === 'float')) ||
    (spec.kind === 'bool' && v.kind === 'bool') ||
    (spec.kind === 'policy' && v.kind === 'policy');
  if (!ok) {
    const want = { int: 'an integer', number: 'a number', bool: 'true or false', policy: 'a shortcut policy A, B, C or auto' }[spec.kind];
    fail('E0107', `argument ${spec.name} of ${what} must be ${want}, found ${describe(v)}`, sp);
  }
  return v;
}

export function intArg(b: BoundArgs, name: string): number | undefined {
  const v = b.get(name)?.value;
  return v && v.kind === 'int' ? v.v : undefined;
}

export function numArg(b: BoundArgs, name: string): number | undefined {
  const v = b.get(name)?.value;
  return v && (v.kind === 'int' || v.kind === 'float') ? v.v : undefined;
}

export function boolArg(b: BoundArgs, name: string): boolean | undefined {
  const v = b.get(name)?.value;
  return v && v.kind === 'bool' ? v.v : undefined;
}
