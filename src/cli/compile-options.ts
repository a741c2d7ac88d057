/** The compile options that `compile` and `run` share, from their parsed flags (-n, --weights, --shortcut, --seed, --no-fuse). */
import type { ShortcutPolicy } from '../passes/pass.js';
import type { CompileOptions } from '../node/compile.js';
import type { Parsed } from './parse.js';

export function compileOptionsOf(args: Parsed): CompileOptions {
  const network = args.string('network');
  const weights = args.string('weights');
  return {
    ...(network !== undefined ? { network } : {}),
    ...(weights !== undefined ? { weights } : {}),
    shortcut: args.choice<ShortcutPolicy>('shortcut'),
    ...(args.has('shortcut') ? { shortcutGiven: true } : {}),
    seed: args.int('seed'),
    fuse: !args.flag('no-fuse'),
  };
}
