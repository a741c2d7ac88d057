import type { Span } from './span.js';
import type { Code } from './codes.js';

export type Severity = 'error' | 'warning' | 'note';

/** A secondary span with a short label, shown under the primary one. */
export interface Label {
  span: Span;
  message: string;
}

/**
 * One message for the user. `message` is one lowercase sentence without a final period and never
 * quotes the source (the renderer shows it). `help` is a statement, not a question.
 */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  span: Span;
  labels: Label[];
  notes: string[];
  help?: string;
}

export function error(
  code: Code,
  message: string,
  sp: Span,
  extra: { labels?: Label[]; notes?: string[]; help?: string } = {},
): Diagnostic {
  return {
    code,
    severity: 'error',
    message,
    span: sp,
    labels: extra.labels ?? [],
    notes: extra.notes ?? [],
    ...(extra.help !== undefined ? { help: extra.help } : {}),
  };
}

/** Collects diagnostics; user errors are reported here, never thrown. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(d: Diagnostic): void {
    this.items.push(d);
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Sort by file, then offset, then code, so that output is deterministic. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
