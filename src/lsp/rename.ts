/**
 * Rename: a block, a network, a parameter or a repetition index, at every place that means it (the
 * places find-references gives, with the declaration, and a block's keyword arguments at its call
 * sites). Refused, with a reason the editor shows, on a built-in or on something declared in the
 * standard library (not the user's to edit), and when the new name is not an identifier or would
 * change what the program means: the renamed program is analysed before any edit is offered, and
 * an error it has that the original had not (a name already taken, a built-in layer's name, a
 * keyword) is the reason.
 */
import type { Span } from '../diagnostics/span.js';
import * as nodePath from 'node:path';
import { stdDir } from '../node/host.js';
import * as T from '../parser/tokens.js';
import { analyze, type Analysis } from './analysis.js';
import { references, symbolKeyAt } from './navigate.js';
import { contains } from './text.js';

/** What can be renamed at a place: the span of the name there and its text; or why nothing can. */
export type RenameTarget = { ok: true; key: string; span: Span; name: string } | { ok: false; reason: string };

/** The edits of a rename, by path of the file they change; or why it is refused. */
export type RenameResult = { ok: true; edits: Map<string, { span: Span; newText: string }[]> } | { ok: false; reason: string };

/** The declaration's file, from a symbol key (`kind \0 path \0 offset`, see navigate.ts). */
const declaringPath = (key: string): string => key.split('\0')[1] ?? '';

function isStd(path: string): boolean {
  return path.startsWith(stdDir + nodePath.sep);
}

/** The name under the cursor, if renaming it is possible (prepareRename): the document's own analysis says. */
export function renameTarget(a: Analysis, offset: number): RenameTarget {
  const key = symbolKeyAt(a, offset);
  if (key === undefined) return { ok: false, reason: 'only a block, a network, a parameter or a repetition index can be renamed' };
  if (isStd(declaringPath(key))) return { ok: false, reason: 'this is declared in the standard library, which is not renamed from here' };
  const here = references([a], key, true).find((p) => p.path === a.path && contains(p.span, offset));
  if (here === undefined) return { ok: false, reason: 'no name to rename here' };
  return { ok: true, key, span: here.span, name: a.text.slice(here.span.start, here.span.end) };
}

/** Whether `name` is one identifier token (not a keyword, not `x`). */
function isIdentifier(name: string): boolean {
  const lexed = T.lexer.tokenize(name);
  return lexed.errors.length === 0 && lexed.tokens.length === 1 && lexed.tokens[0]!.tokenType === T.Ident && lexed.tokens[0]!.image === name;
}

/**
 * The edits that rename the symbol `key` to `newName` in the analyses given (the open documents and
 * the workspace), checked by analysing the document `a` as it would read after them.
 * `textOf` gives the current text of any file (open buffer or disk).
 */
export function rename(a: Analysis, key: string, newName: string, all: readonly Analysis[], textOf: (path: string) => string | undefined): RenameResult {
  if (!isIdentifier(newName)) return { ok: false, reason: `\`${newName}\` is not a name: a name is a letter or _ then letters, digits or _, and not a keyword` };
  const places = references(all, key, true);
  const edits = new Map<string, { span: Span; newText: string }[]>();
  for (const p of places) {
    if (isStd(p.path)) return { ok: false, reason: 'the standard library uses this name, and it is not renamed from here' };
    const list = edits.get(p.path) ?? [];
    list.push({ span: p.span, newText: newName });
    edits.set(p.path, list);
  }
  const renamed = new Map<string, string>();
  for (const [path, list] of edits) {
    const text = textOf(path);
    if (text === undefined) return { ok: false, reason: `cannot read ${path}` };
    renamed.set(path, applyEdits(text, list));
  }
  const after = analyze(a.path, a.version, renamed.get(a.path) ?? a.text, (p) => renamed.get(p) ?? textOf(p));
  // an error of a kind the program had fewer of (messages may name the old name: compare codes)
  const count = (ds: readonly { code: string; severity: string }[]) => {
    const m = new Map<string, number>();
    for (const d of ds) if (d.severity === 'error') m.set(d.code, (m.get(d.code) ?? 0) + 1);
    return m;
  };
  const was = count(a.diagnostics);
  const now = count(after.diagnostics);
  const fresh = after.diagnostics.find((d) => d.severity === 'error' && (now.get(d.code) ?? 0) > (was.get(d.code) ?? 0));
  if (fresh !== undefined) return { ok: false, reason: `renaming to \`${newName}\` would give: ${fresh.message}` };
  return { ok: true, edits };
}

/** The text with each span replaced (spans do not overlap). */
export function applyEdits(text: string, edits: readonly { span: Span; newText: string }[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((x, y) => x.span.start - y.span.start)) {
    out += text.slice(at, e.span.start) + e.newText;
    at = e.span.end;
  }
  return out + text.slice(at);
}

