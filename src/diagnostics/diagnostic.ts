/**
 * The one message type of the compiler, for every kind of problem: a syntax or shape error at a
 * span of a source file, a problem with a whole file (a weights file, an ONNX model, an input
 * array), or one with no place at all (an executor limit). Rendered by render.ts only.
 */
import type { Code } from './codes.js';
import type { Span } from './span.js';

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
  /** Where in a source file, when the problem has a place there. */
  span?: Span;
  /** The file a problem without a span is about (`weights.safetensors`, `model.onnx`). */
  file?: string;
  labels: Label[];
  notes: string[];
  help?: string;
  /**
   * A fix a tool can apply (rustc's machine-applicable suggestion): the text at `span` replaced by
   * `replacement`, the closest known name for a misspelled one. The help says it in words; the
   * language server offers it as a quick fix.
   */
  suggestion?: Suggestion;
}

export interface Suggestion {
  span: Span;
  replacement: string;
}

export interface DiagnosticExtra {
  labels?: Label[];
  notes?: string[];
  help?: string | undefined;
  suggestion?: Suggestion | undefined;
}

/** Where a diagnostic points: a span, a file name, or nowhere. */
export type At = Span | string | undefined;

function make(severity: Severity, code: Code, message: string, at: At, extra: DiagnosticExtra): Diagnostic {
  return {
    code,
    severity,
    message,
    ...(typeof at === 'string' ? { file: at } : at !== undefined ? { span: at } : {}),
    labels: extra.labels ?? [],
    notes: extra.notes ?? [],
    ...(extra.help !== undefined ? { help: extra.help } : {}),
    ...(extra.suggestion !== undefined ? { suggestion: extra.suggestion } : {}),
  };
}

export function error(code: Code, message: string, at: At, extra: DiagnosticExtra = {}): Diagnostic {
  return make('error', code, message, at, extra);
}

export function warning(code: Code, message: string, at: At, extra: DiagnosticExtra = {}): Diagnostic {
  return make('warning', code, message, at, extra);
}

export function note(code: Code, message: string, at: At, extra: DiagnosticExtra = {}): Diagnostic {
  return make('note', code, message, at, extra);
}

/** The file a diagnostic is about, if any. */
export function fileOf(d: Diagnostic): string | undefined {
  return d.span?.file ?? d.file;
}

/** Sort by file, then offset, then code, so that output is deterministic; problems without a place first. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => fileOf(d) ?? '';
  return [...ds].sort(
    (a, b) =>
      (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) ||
      (a.span?.start ?? -1) - (b.span?.start ?? -1) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** True when any of them is an error (warnings and notes do not fail a command). */
export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
