/** Command-line parsing on node:util's parseArgs, with usage errors as UsageError. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CompileOptions } from '../node/compile.js';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(argv: string[], options: O): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError(String((e as Error).message).split('\n')[0]!.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function oneOf<T extends string>(flag: string, v: unknown, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not ${String(v)}`);
}

export function intFlag(flag: string, v: unknown, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  const s = String(v);
  if (!/^-?\d+$/.test(s) || Number(s) < min || Number(s) > max) throw new UsageError(`${flag} needs an integer from ${min} to ${max}, not ${s}`);
  return Number(s);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The compile options that `compile` and `run` share, from their flags (-n, --weights, --shortcut, --seed, --no-fuse). */
export function compileFlagsOf(values: Record<string, unknown>): CompileOptions {
  const network = str(values.network);
  const weights = str(values.weights);
  return {
    ...(network !== undefined ? { network } : {}),
    ...(weights !== undefined ? { weights } : {}),
    shortcut: oneOf('--shortcut', values.shortcut, ['A', 'B', 'C'] as const, 'B'),
    seed: intFlag('--seed', values.seed, 0, 0, 2 ** 32 - 1),
    fuse: !values['no-fuse'],
  };
}
