/**
 * `resdsl fmt`: one canonical layout for resdsl files, with no options (gofmt's stance). Comments
 * stay where they were; lines are broken at `width` columns; the formatted file parses to the same
 * tree as the original. A file with syntax errors is not formatted (its diagnostics come back).
 * No Node module: the playground formats in the browser with it.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseDetailed } from '../parser/parse.js';
import { Comments } from './comments.js';
import { printDoc, trailingMark } from './doc.js';
import { Layout } from './layout.js';

/** The line width the layout aims at (rustfmt's; a line may exceed it where nothing can break). */
export const width = 100;

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** Formats one file's text; `file` names it in diagnostics. */
export function formatSource(source: string, file: string): FormatResult {
  // one kind of line end, and no byte-order mark (the file host drops it too)
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const parsed = parseDetailed(text, file);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || parsed.cst === undefined) return { ok: false, diagnostics: errors.length ? errors : parsed.diagnostics };
  const layout = new Layout(new Comments(text, parsed.comments, parsed.tokens));
  const printed = printDoc(layout.file(parsed.cst, text.length), width);
  return { ok: true, text: alignComments(printed).replace(/^\n+/, '').replace(/\n*$/, '\n') };
}

/**
 * Trailing comments of consecutive lines start in one column, two spaces after the longest code
 * of the run (gofmt aligns them the same way); a blank line or a line without one ends a run.
 */
export function alignComments(printed: string): string {
  const lines = printed.split('\n');
  for (let i = 0; i < lines.length; ) {
    if (!lines[i]!.includes(trailingMark)) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.includes(trailingMark)) j++;
    const run = lines.slice(i, j).map((l) => {
      const k = l.indexOf(trailingMark);
      return { code: l.slice(0, k).trimEnd(), comment: l.slice(k + 1) };
    });
    const col = run.reduce((m, r) => Math.max(m, r.code.length), 0) + 2;
    run.forEach((r, k) => {
      lines[i + k] = r.code.trim().length ? `${r.code.padEnd(col)}${r.comment}` : `${r.code}${r.comment}`;
    });
    i = j;
  }
  return lines.join('\n');
}
