/**
 * What the PyTorch backend cannot write (E0901): a construct of the language it has no Python
 * form for, at the place in the spec that uses it. The emitter throws it from deep inside a
 * class and `emitPyTorch` (index.ts) returns it as a diagnostic; no other error escapes.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';

export class Unsupported extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export function unsupported(message: string, span: Span | undefined, help?: string): Unsupported {
  return new Unsupported(error('E0901', message, span, help !== undefined ? { help } : {}));
}
