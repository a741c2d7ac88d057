/**
 * The result of anything that can fail on bad input without a source span: reading a weights file,
 * an ONNX model, an .npy array, preparing a model for the executor. The failure is a Diagnostic
 * (usually located at a file), rendered like every other.
 */
import type { Code } from './codes.js';
import { error, type At, type Diagnostic, type DiagnosticExtra } from './diagnostic.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: Diagnostic };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(code: Code, message: string, at?: At, extra: DiagnosticExtra = {}): Result<T> {
  return { ok: false, error: error(code, message, at, extra) };
}

/** A failure with the file it concerns filled in, when the reader did not know the file's name. */
export function inFile<T>(r: Result<T>, file: string): Result<T> {
  return r.ok || r.error.span || r.error.file ? r : { ok: false, error: { ...r.error, file } };
}
