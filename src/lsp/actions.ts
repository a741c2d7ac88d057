/**
 * Quick fixes: the compiler's suggestions (Diagnostic.suggestion: the closest known name for a
 * misspelled layer, block, name, parameter or keyword argument) in this document, offered where the
 * editor asks (a range the suggestion's span meets).
 */
import type { Span } from '../diagnostics/span.js';
import { rootFile, type Analysis } from './analysis.js';

export interface QuickFix {
  title: string;
  span: Span;
  replacement: string;
}

/** The quick fixes whose span meets [start, end] (offsets in the document). */
export function quickFixes(a: Analysis, start: number, end: number): QuickFix[] {
  const root = rootFile(a);
  if (root === undefined) return [];
  const out: QuickFix[] = [];
  for (const d of a.diagnostics) {
    const s = d.suggestion;
    if (s === undefined || s.span.file !== root.name || s.span.end < start || s.span.start > end) continue;
    out.push({ title: `replace with \`${s.replacement}\``, span: s.span, replacement: s.replacement });
  }
  return out;
}
