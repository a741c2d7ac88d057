/**
 * The one renderer of diagnostics, in three formats: text (source line and carets, like rustc),
 * JSON (for tools), and GitHub Actions annotations. Line and column are computed here, from offsets.
 */
import { fileOf, sortDiagnostics, type Diagnostic, type Label } from './diagnostic.js';
import type { Span } from './span.js';

export type Sources = ReadonlyMap<string, string>;

export interface Position {
  line: number; // 1-based
  col: number; // 1-based
}

/**
 * Offsets where the lines of a text start; the last few texts are cached, since one file usually
 * has many diagnostics (and the language server asks about one document many times).
 */
const lineStartCache = new Map<string, number[]>();

export function lineStarts(text: string): readonly number[] {
  let starts = lineStartCache.get(text);
  if (!starts) {
    starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    if (lineStartCache.size >= 32) lineStartCache.clear();
    lineStartCache.set(text, starts);
  }
  return starts;
}

export function positionOf(text: string, offset: number): Position {
  const starts = lineStarts(text);
  const off = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= off) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: off - starts[lo]! + 1 };
}

function lineText(text: string, line: number): string {
  const starts = lineStarts(text);
  const s = starts[line - 1] ?? text.length;
  const e = line < starts.length ? starts[line]! - 1 : text.length;
  return text.slice(s, e).replace(/\r$/, '');
}

/** Tabs become spaces so that carets line up; control characters become U+FFFD. */
function printable(s: string): string {
  return s.replace(/\t/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
}

export function locate(sp: Span, sources: Sources): { start: Position; end: Position } | undefined {
  const text = sources.get(sp.file);
  if (text === undefined) return undefined;
  return { start: positionOf(text, sp.start), end: positionOf(text, sp.end) };
}

function location(sp: Span, sources: Sources): string {
  const loc = locate(sp, sources);
  return loc ? `${sp.file}:${loc.start.line}:${loc.start.col}` : sp.file;
}

function snippet(sp: Span, marker: string, label: string, sources: Sources, gutter: number): string[] {
  const text = sources.get(sp.file);
  if (text === undefined) return [];
  const loc = locate(sp, sources)!;
  const src = printable(lineText(text, loc.start.line));
  const width = loc.end.line === loc.start.line ? Math.max(1, loc.end.col - loc.start.col) : Math.max(1, src.length - loc.start.col + 1);
  const num = String(loc.start.line).padStart(gutter);
  const pad = ' '.repeat(gutter);
  const underline = ' '.repeat(loc.start.col - 1) + marker.repeat(width) + (label ? ` ${label}` : '');
  return [`${pad} |`, `${num} | ${src}`, `${pad} | ${underline}`];
}

function gutterWidth(d: Diagnostic, sources: Sources): number {
  let max = 1;
  for (const sp of [...(d.span ? [d.span] : []), ...d.labels.map((l) => l.span)]) {
    const loc = locate(sp, sources);
    if (loc) max = Math.max(max, String(loc.start.line).length);
  }
  return max;
}

function renderOne(d: Diagnostic, sources: Sources): string {
  const g = gutterWidth(d, sources);
  const pad = ' '.repeat(g);
  const out: string[] = [`${d.severity}[${d.code}]: ${d.message}`];
  const sp = d.span;
  if (sp === undefined && d.file !== undefined) out.push(`${pad}--> ${d.file}`);
  const same = sp ? d.labels.filter((l) => l.span.file === sp.file && sameLine(l.span, sp, sources)) : [];
  const primaryLabel = sp && same.length === 1 && overlaps(same[0]!, sp) ? same[0]!.message : '';
  if (sp) out.push(`${pad}--> ${location(sp, sources)}`, ...snippet(sp, '^', primaryLabel, sources, g));
  for (const l of d.labels) {
    if (primaryLabel && l === same[0]) continue;
    out.push(`${pad}::: ${location(l.span, sources)}`);
    out.push(...snippet(l.span, '-', l.message, sources, g));
  }
  for (const n of d.notes) out.push(`${pad} = note: ${n}`);
  if (d.help) out.push(`${pad} = help: ${d.help}`);
  return out.join('\n');
}

function sameLine(a: Span, b: Span, sources: Sources): boolean {
  const la = locate(a, sources);
  const lb = locate(b, sources);
  return !!la && !!lb && la.start.line === lb.start.line;
}

function overlaps(l: Label, sp: Span): boolean {
  return l.span.start === sp.start && l.span.end === sp.end;
}

/** The diagnostics to show under a cap (`--max-errors`): the first `max` in order, and how many more there are. */
export function capped(diags: readonly Diagnostic[], max = Infinity): { shown: Diagnostic[]; more: number } {
  const sorted = sortDiagnostics(diags);
  return { shown: sorted.slice(0, max), more: Math.max(0, sorted.length - max) };
}

export function renderText(diags: readonly Diagnostic[], sources: Sources, opts: { max?: number } = {}): string {
  const { shown, more } = capped(diags, opts.max);
  const text = shown.map((d) => renderOne(d, sources)).join('\n\n');
  return more > 0 ? `${text}\n\n... and ${more} more (raise --max-errors to see them)` : text;
}

export interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  /** The file, when the problem has one (absent for a problem of the whole run). */
  file?: string;
  /** Positions, when the problem has a place in a source file (1-based). */
  line?: number;
  col?: number;
  endLine?: number;
  endCol?: number;
  labels: { file: string; line: number; col: number; message: string }[];
  notes: string[];
  help?: string;
  /** A replacement a tool can apply: the text from line:col to endLine:endCol becomes `replacement`. */
  suggestion?: { line: number; col: number; endLine: number; endCol: number; replacement: string };
}

export function toJson(d: Diagnostic, sources: Sources): JsonDiagnostic {
  const loc = d.span ? locate(d.span, sources) : undefined;
  const file = fileOf(d);
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(file !== undefined ? { file } : {}),
    ...(loc ? { line: loc.start.line, col: loc.start.col, endLine: loc.end.line, endCol: loc.end.col } : {}),
    labels: d.labels.map((l) => {
      const ll = locate(l.span, sources);
      return { file: l.span.file, line: ll?.start.line ?? 0, col: ll?.start.col ?? 0, message: l.message };
    }),
    notes: d.notes,
    ...(d.help !== undefined ? { help: d.help } : {}),
    ...suggestionJson(d, sources),
  };
}

function suggestionJson(d: Diagnostic, sources: Sources): Pick<JsonDiagnostic, 'suggestion'> {
  const at = d.suggestion && locate(d.suggestion.span, sources);
  if (!d.suggestion || !at) return {};
  return { suggestion: { line: at.start.line, col: at.start.col, endLine: at.end.line, endCol: at.end.col, replacement: d.suggestion.replacement } };
}

/** GitHub Actions workflow commands: `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=CODE::message`. */
export function renderGithub(diags: readonly Diagnostic[], sources: Sources): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escProp = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return sortDiagnostics(diags)
    .map((d) => {
      const j = toJson(d, sources);
      const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const extra = [...d.labels.map((l) => `${location(l.span, sources)}: ${l.message}`), ...d.notes, ...(d.help ? [`help: ${d.help}`] : [])];
      const msg = [d.message, ...extra].join('\n');
      const where = [
        ...(j.file !== undefined ? [`file=${escProp(j.file)}`] : []),
        ...(j.line !== undefined ? [`line=${j.line},col=${j.col},endLine=${j.endLine},endColumn=${j.endCol}`] : []),
      ];
      return `::${level} ${[...where, `title=${d.code}`].join(',')}::${esc(msg)}`;
    })
    .join('\n');
}
