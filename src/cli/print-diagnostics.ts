/**
 * Diagnostics on the way out of a command, under `--max-errors N` (0: no cap): text on stderr
 * with "... and N more" at the end; GitHub annotations up to the cap and one notice for the rest;
 * JSON with the first N and the count of the others (`omitted`). The cap is the same in every
 * format, so that a CI log and a tool see the same diagnostics.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { capped, renderGithub, renderText, toJson, type JsonDiagnostic, type Sources } from '../diagnostics/render.js';
import type { Io } from './io.js';

/** The cap as a number of diagnostics: `--max-errors 0` means all. */
export const capOf = (maxErrors: number) => (maxErrors === 0 ? Infinity : maxErrors);

/** The diagnostics, rendered as text on stderr; nothing when there are none. */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], sources: Sources, maxErrors: number): void {
  if (diagnostics.length) io.err(renderText(diagnostics, sources, { max: capOf(maxErrors) }));
}

export function githubDiagnostics(diagnostics: readonly Diagnostic[], sources: Sources, maxErrors: number): string {
  const { shown, more } = capped(diagnostics, capOf(maxErrors));
  const text = renderGithub(shown, sources);
  return more > 0 ? `${text}\n::notice title=resdsl::${more} more not shown (raise --max-errors to see them)` : text;
}

export function jsonDiagnostics(diagnostics: readonly Diagnostic[], sources: Sources, maxErrors: number): { diagnostics: JsonDiagnostic[]; omitted: number } {
  const { shown, more } = capped(diagnostics, capOf(maxErrors));
  return { diagnostics: shown.map((d) => toJson(d, sources)), omitted: more };
}
