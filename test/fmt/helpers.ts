/** Helpers of the formatter's tests: the properties every formatted file must have. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatSource } from '../../src/fmt/index.js';
import { printGraph } from '../../src/ir/print.js';
import { parseDetailed, parseSource } from '../../src/parser/parse.js';
import { frontEnd } from '../../src/pipeline/index.js';
import { memoryHost } from '../../src/program/host.js';
import { noSpans } from '../parser/helpers.js';

export const root = path.resolve(new URL('../..', import.meta.url).pathname);

/** The standard library's files, by module name. */
export function stdFiles(): Map<string, string> {
  const dir = path.join(root, 'std');
  return new Map(fs.readdirSync(dir).filter((f) => f.endsWith('.resdsl')).sort().map((f) => [f.slice(0, -7), fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** Formats, failing the test on a refusal. */
export function fmt(text: string, file = 't.resdsl'): string {
  const r = formatSource(text, file);
  if (!r.ok) throw new Error(`not formatted: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}\n${text}`);
  return r.text;
}

/** The syntax tree without positions: equal for a file and its formatted text. */
export function tree(text: string): unknown {
  return noSpans(parseSource(text.replace(/\r\n?/g, '\n'), 't.resdsl').ast);
}

/** The comments' texts, in order. */
export function comments(text: string): string[] {
  return parseDetailed(text.replace(/\r\n?/g, '\n'), 't.resdsl').comments.map((c) => c.image.trimEnd());
}

/**
 * The printed IR of every network of `text` (after the shortcut pass), with `std` as the standard
 * library; the diagnostics' codes when it does not elaborate.
 */
export function irOf(text: string, std: ReadonlyMap<string, string>, shortcut: 'A' | 'B' | 'C' = 'B'): string {
  const files = new Map([['/t.resdsl', text]]);
  const r = frontEnd('/t.resdsl', { host: memoryHost(files, std), shortcut }, 'shortcut');
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
  return `${r.networks.map((n) => printGraph(n.graph)).join('\n')}${errors.length ? `\nerrors: ${errors.join('\n')}` : ''}`;
}

/** Lines longer than the width that could have been broken (a line with a space outside a comment, past the width). */
export function longestLine(text: string): number {
  return text.split('\n').reduce((m, l) => Math.max(m, l.length), 0);
}
