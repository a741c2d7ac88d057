/** Suggestions for misspellings (util/closest.ts), for layers, blocks, networks, variables and keyword arguments alike. */
import type { Span } from '../../diagnostics/span.js';
import { surfaceForms } from '../ops/index.js';
import { fail } from './abort.js';
import { closest } from '../../util/closest.js';
import { builtinFunctions } from './functions.js';

export { closest };
import type { NameLookup } from './values.js';

/** Every name an expression or a layer position could mean, in the order suggestions prefer. */
export function knownNames(env: NameLookup & { vars?: ReadonlyMap<string, unknown>; scope?: ReadonlyMap<string, unknown> }): string[] {
  return [
    ...(env.vars?.keys() ?? []),
    ...(env.scope?.keys() ?? []),
    ...surfaceForms().flatMap(({ form }) => (form.sizeInName ? [`${form.name}3`, `${form.name}1`, form.name] : [form.name])),
    ...builtinFunctions.keys(),
  ];
}

/** E0101 for a name that means nothing here, with the closest known one. */
export function unknownName(name: string, sp: Span, env: NameLookup, what: 'name' | 'layer or block'): never {
  const near = closest(name, knownNames(env as Parameters<typeof knownNames>[0]));
  return fail('E0101', `unknown ${what} ${name}`, sp, near ? { help: `a similar name exists: \`${near}\``, suggestion: { span: sp, replacement: near } } : {});
}
