/**
 * Positions and file names as the editor speaks them: LSP positions are lines and UTF-16
 * characters (what our offsets count), files are `file://` URIs.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Position, Range } from 'vscode-languageserver/node';
import { lineStarts, positionOf } from '../diagnostics/render.js';
import type { Span } from '../diagnostics/span.js';

/** The LSP position (0-based line, UTF-16 character) of an offset: the renderer's, less one. */
export function positionAt(text: string, offset: number): Position {
  const p = positionOf(text, offset);
  return { line: p.line - 1, character: p.col - 1 };
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
