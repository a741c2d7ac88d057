/** The environment of a block or network body: its bound parameters and the declarations its file sees. */
import type { FileScope, DeclRef } from '../../program/scope.js';
import type { GraphBuilder, Cursor } from './context.js';
import type { NameLookup, Value } from './values.js';

export interface Env extends NameLookup {
  readonly vars: ReadonlyMap<string, Value>;
  readonly scope: FileScope;
  /** The `out` parameter of the enclosing block, if it is an integer. */
  readonly blockOut: number | undefined;
}

export function makeEnv(vars: ReadonlyMap<string, Value>, scope: FileScope): Env {
  const out = vars.get('out');
  return {
    vars,
    scope,
    blockOut: out && out.kind === 'int' ? out.v : undefined,
    variable: (name) => vars.get(name),
    decl: (name): DeclRef | undefined => scope.get(name),
  };
}

/** What every elaboration step shares for one network. */
export interface Ctx {
  readonly b: GraphBuilder;
  readonly scopes: ReadonlyMap<string, FileScope>;
  /** Outputs of labelled layers at network level, for `output NAME = LABEL`. */
  readonly labelled: Map<string, Cursor>;
}
