/**
 * The compiler's diagnostics as the editor shows them, per file: code, severity, the message with
 * its help and notes, and the labelled secondary spans as related information. A diagnostic in
 * another file (a used file, or a block of std expanded from this one) is also shown in the
 * document: at the call site of this file it was expanded from, or at the `use` that reaches it.
 */
import type { Diagnostic as LspDiagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { rootFile, type Analysis } from './analysis.js';
import { pathOfSpan } from './navigate.js';
import { pathToUri, spanRange } from './text.js';

const severity: Record<Diagnostic['severity'], DiagnosticSeverity> = { error: 1, warning: 2, note: 3 };

function textOfPath(a: Analysis, path: string): string | undefined {
  return a.program?.files.get(path)?.text;
}

function message(d: Diagnostic): string {
  return [d.message, ...d.notes.map((n) => `note: ${n}`), ...(d.help !== undefined ? [`help: ${d.help}`] : [])].join('\n');
}

/** The diagnostics of an analysis, by the URI of the file they are shown in. */
export function diagnosticsByUri(a: Analysis, uriOf: (path: string) => string = pathToUri): Map<string, LspDiagnostic[]> {
  const out = new Map<string, LspDiagnostic[]>();
  const root = rootFile(a);
  const rootUri = uriOf(a.path);
  const put = (uri: string, d: LspDiagnostic) => {
    const list = out.get(uri);
    if (list) list.push(d);
    else out.set(uri, [d]);
  };
  out.set(rootUri, []);
  if (a.internal !== undefined) put(rootUri, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 1, source: 'resdsl', message: a.internal });
  const related = (labels: Diagnostic['labels']) =>
    labels.flatMap((l) => {
      const path = pathOfSpan(a, l.span);
      const text = path === undefined ? undefined : textOfPath(a, path);
      return path === undefined || text === undefined ? [] : [{ location: { uri: uriOf(path), range: spanRange(text, l.span) }, message: l.message }];
    });
  for (const d of a.diagnostics) {
    const base = { severity: severity[d.severity], code: d.code, source: 'resdsl', message: message(d) };
    const path = d.span ? pathOfSpan(a, d.span) : undefined;
    const text = path !== undefined ? textOfPath(a, path) : undefined;
    if (d.span === undefined || path === undefined || text === undefined) {
      // about a whole file, or a file that could not be read: at the top of the document
      put(rootUri, { ...base, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
      continue;
    }
    const relatedInformation = related(d.labels);
    put(uriOf(path), { ...base, range: spanRange(text, d.span), ...(relatedInformation.length ? { relatedInformation } : {}) });
    if (root === undefined || path === root.absPath) continue;
    // shown in the document too: where it was expanded from here, or at the use that reaches its file
    const here = d.labels.find((l) => l.span.file === root.name)?.span ?? useReaching(a, path);
    if (here !== undefined) {
      const where = [{ location: { uri: uriOf(path), range: spanRange(text, d.span) }, message: 'the problem is here' }, ...relatedInformation];
      put(rootUri, { ...base, message: `${message(d)}\n(in ${d.span.file})`, range: spanRange(root.text, here), relatedInformation: where });
    }
  }
  return out;
}

/** The `use` of the root file through which `path` is loaded (directly or not). */
function useReaching(a: Analysis, path: string): Span | undefined {
  const root = rootFile(a);
  if (root === undefined || a.program === undefined) return undefined;
  for (const u of root.uses) {
    const seen = new Set<string>();
    const stack = [u.absPath];
    while (stack.length) {
      const p = stack.pop()!;
      if (p === path) return u.decl.pathSpan;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const next of a.program.files.get(p)?.uses ?? []) stack.push(next.absPath);
    }
  }
  return undefined;
}
