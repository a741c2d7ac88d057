/**
 * Positions and file names as the editor speaks them: LSP positions are lines and UTF-16
 * characters (what our offsets count), files are `file://` URIs.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Position, Range } from 'vscode-languageserver/node';
import type { Span } from '../diagnostics/span.js';

/** Line starts of a text; the last few texts are kept, as one file is asked about many times. */
const cache = new Map<string, number[]>();

function lineStarts(text: string): number[] {
  let starts = cache.get(text);
  if (starts === undefined) {
    starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    if (cache.size >= 32) cache.clear();
    cache.set(text, starts);
  }
  return starts;
}

export function positionAt(text: string, offset: number): Position {
  const starts = lineStarts(text);
  const off = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= off) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: off - starts[lo]! };
}

export function offsetAt(text: string, p: Position): number {
  const starts = lineStarts(text);
  if (p.line < 0) return 0;
  if (p.line >= starts.length) return text.length;
  const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1]! - 1 : text.length;
  return Math.max(starts[p.line]!, Math.min(starts[p.line]! + Math.max(0, p.character), lineEnd));
}

export function rangeOf(text: string, start: number, end: number): Range {
  return { start: positionAt(text, start), end: positionAt(text, end) };
}

export function spanRange(text: string, s: Span): Range {
  return rangeOf(text, s.start, s.end);
}

/** The path of a `file:` URI; undefined for other schemes (an unsaved buffer is `untitled:`). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

export const contains = (s: { start: number; end: number }, offset: number): boolean => s.start <= offset && offset <= s.end;
