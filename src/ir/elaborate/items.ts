/**
 * What a statement is before it is elaborated: whether its condition keeps it (or its `else`),
 * what its label says, and the nn.Sequential-like scope a labelled item opens.
 */
import type { Label, LayerStmt } from '../../parser/ast.js';
import { fail } from './abort.js';
import type { NameScope } from './context.js';
import { evalValue, type Ctx, type Env } from './env.js';
import { unknownName } from './suggest.js';
import { describe, wholeNumber } from './values.js';

/** The statement as it stands after its condition: itself, its `else`, or nothing. */
export function present(ctx: Ctx, env: Env, stmt: LayerStmt): LayerStmt | undefined {
  if (!stmt.when) return stmt;
  const c = evalValue(ctx, env, stmt.when.cond);
  if (c.kind !== 'bool')
    fail('E0107', `a condition must be true or false, found ${describe(c)}`, stmt.when.cond.span, { help: 'compare to make a condition: stride == 1' });
  if (c.v) return { kind: 'Layer', span: stmt.span, term: stmt.term, ...(stmt.label ? { label: stmt.label } : {}) };
  return stmt.when.otherwise ? present(ctx, env, stmt.when.otherwise) : undefined;
}

/** The text of a label; a template's holes are filled with integers from the environment. */
export function labelText(ctx: Ctx, env: Env, l: Label): string {
  if (l.kind === 'Ident') return l.name;
  return l.parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const v = env.variable(p.name) ?? unknownName(p.name, p.span, env, 'name');
      const n = wholeNumber(v);
      if (n === undefined) fail('E0107', `the hole {${p.name}} of a label must be an integer, found ${describe(v)}`, l.span);
      return String(n);
    })
    .join('');
}

/** A labelled sequence: its items are numbered like nn.Sequential's. */
export function sequence(ctx: Ctx, scope: NameScope, label: string): NameScope {
  const s = scope.child(label, 'sequential');
  ctx.b.setModule(s.prefix, 'sequence');
  return s;
}
