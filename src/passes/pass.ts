/** What a pass is: a named, pure function from IR graph to IR graph, which may report diagnostics. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IrGraph } from '../ir/types.js';

export type ShortcutPolicy = 'A' | 'B' | 'C';

export interface PassOptions {
  /** The compile-wide shortcut policy (`--shortcut`); a block's own `shortcut(A)` overrides it. */
  shortcut: ShortcutPolicy;
  /** The policy was given on the command line: the shortcut pass warns (W0601) where it changes nothing. */
  shortcutGiven?: boolean;
}

export interface PassResult {
  graph: IrGraph;
  diagnostics: Diagnostic[];
}

export interface Pass {
  readonly name: string;
  readonly description: string;
  /** Optional passes can be turned off (`--no-fuse`); required ones always run. */
  readonly optional: boolean;
  run(graph: IrGraph, opts: PassOptions): PassResult;
}

