/**
 * Elaboration stops a network at its first error: `fail` records the diagnostic in an `Abort`
 * that the network's elaboration catches. This is control flow inside elaboration only; no
 * user error escapes it as an exception.
 */
import type { Code } from '../../diagnostics/codes.js';
import { error, type Diagnostic, type Label } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';

export class Abort {
  constructor(readonly diagnostic: Diagnostic) {}
}

export function fail(
  code: Code,
  message: string,
  sp: Span,
  extra: { labels?: Label[]; notes?: string[]; help?: string } = {},
): never {
  throw new Abort(error(code, message, sp, extra));
}
