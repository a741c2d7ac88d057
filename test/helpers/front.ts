/** Test helpers: run the front end on a source text and render what it reports. */
import { renderText } from '../../src/diagnostics/render.js';
import { checkFile, type CheckOptions } from '../../src/node/compile.js';
import type { FrontEndResult } from '../../src/pipeline/index.js';

type FrontEndOptions = CheckOptions;

export function checkText(text: string, opts: FrontEndOptions & { file?: string } = {}): FrontEndResult {
  return checkFile(opts.file ?? 'test.resdsl', { ...opts, text });
}

/** The rendered diagnostics of a source text ('' when clean). */
export function diagnose(text: string, opts: FrontEndOptions & { file?: string } = {}): string {
  const r = checkText(text, opts);
  return renderText(r.diagnostics, r.sources);
}

export function codes(text: string, opts: FrontEndOptions & { file?: string } = {}): string[] {
  return checkText(text, opts).diagnostics.map((d) => d.code);
}
