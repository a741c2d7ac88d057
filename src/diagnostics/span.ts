/**
 * Source positions. A span is a pair of character offsets into one source file; line and column
 * are computed only when a message is rendered (see render.ts).
 */
export interface Span {
  /** Path of the file as the user named it (or `std/resnet.resdsl` for the standard library). */
  file: string;
  /** Offset of the first character (0-based, UTF-16 code units, as JavaScript strings index). */
  start: number;
  /** Offset one past the last character. */
  end: number;
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end };
}
