/**
 * Elaboration stops a statement at its first error: `fail` records the diagnostic in an `Abort`
 * that the enclosing statement catches (layers.ts), so that elaboration goes on with the next one
 * and reports independent mistakes in one run. This is control flow inside elaboration only; no
 * user error escapes it as an exception.
 */
import type { Code } from '../../diagnostics/codes.js';
import { error, type Diagnostic, type DiagnosticExtra } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';

export class Abort {
  constructor(readonly diagnostic: Diagnostic) {}
}

export function fail(code: Code, message: string, sp: Span, extra: DiagnosticExtra = {}): never {
  throw new Abort(error(code, message, sp, extra));
}
