/**
 * The compile options a user can set in the page, with the CLI's defaults: `--shortcut B`,
 * `--seed 0`, fusion on. With the defaults, the page's ONNX model is `resdsl compile`'s.
 */
import type { ShortcutPolicy } from '../../src/passes/pass.js';

export interface Options {
  shortcut: ShortcutPolicy;
  /** The weights' seed (`--seed`), also the run pane's input seed (`resdsl run --random --seed`). */
  seed: number;
  /** Fold batch norms into convolutions (`--no-fuse` turns it off). */
  fuse: boolean;
}

export const defaultOptions: Options = { shortcut: 'B', seed: 0, fuse: true };

export const shortcutPolicies: readonly ShortcutPolicy[] = ['A', 'B', 'C'];

/** A seed as the CLI accepts it: an integer in 0..2^32-1. */
export function parseSeed(s: string): number | undefined {
  if (!/^[0-9]{1,10}$/.test(s.trim())) return undefined;
  const n = Number(s.trim());
  return n <= 2 ** 32 - 1 ? n : undefined;
}
