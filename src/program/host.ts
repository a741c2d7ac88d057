/**
 * How the compiler reaches files: an interface the core calls and each platform implements: the
 * CLI with the file system (node/host.ts), the playground with the sources it bundles. The core
 * imports no Node module, so that it runs in a browser unchanged.
 */
import type { Code } from '../diagnostics/codes.js';
import { dirname, resolve } from '../util/paths.js';

/** A source file's text, or why it cannot be had (the message names the file as the user did). */
export type ReadSource = { text: string } | { code: Extract<Code, 'E0005' | 'E0006' | 'E0501' | 'E0504'>; message: string };

export interface SourceHost {
  /** Reads the source at `path` (a path as resolve() gives it); `shown` is its name in messages. */
  read(path: string, shown: string): ReadSource;
  /** The path of `rel` written in the file at `from` (a `use "./blocks.resdsl"`). */
  resolve(from: string, rel: string): string;
  /** The path of the standard library module `name` (`resnet` for `use std/resnet`), if there is one. */
  stdPath(name: string): string | undefined;
  /** The names of the standard library's modules, for help when one is misspelt. */
  stdModules(): string[];
}

/** A host holding its files in memory, by path (tests, tools, the playground). */
export function memoryHost(files: ReadonlyMap<string, string>, std: ReadonlyMap<string, string> = new Map()): SourceHost {
  const stdPrefix = '/std/';
  return {
    read(path, shown) {
      const text = files.get(path) ?? (path.startsWith(stdPrefix) ? std.get(path.slice(stdPrefix.length, -'.resdsl'.length)) : undefined);
      return text !== undefined ? { text } : { code: 'E0501', message: `cannot read ${shown}: no such file` };
    },
    resolve: (from, rel) => resolve(dirname(from), rel),
    stdPath: (name) => (std.has(name) ? `${stdPrefix}${name}.resdsl` : undefined),
    stdModules: () => [...std.keys()].sort(),
  };
}
