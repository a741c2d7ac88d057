/**
 * The compiler's diagnostics in the page: as CodeMirror lint diagnostics on the edited file
 * (underlined; message, code, labels, notes and help in the hover, and the compiler's suggested
 * replacement as a button), and as the problems list
 * under the editor, each entry the CLI's own text rendering (diagnostics/render.ts).
 */
import type { Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { sortDiagnostics, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { capped, locate, renderText, type Sources } from '../../src/diagnostics/render.js';

/** The problems list shows this many, as `resdsl check --max-errors` would: a page of thousands helps no one. */
const maxListed = 100;

const severity = (d: Diagnostic): LintDiagnostic['severity'] => (d.severity === 'note' ? 'info' : d.severity);

/** An element with a class and text: the page builds all user-visible text this way, never as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The hover of one diagnostic: `error[E0301]: message`, then labels, notes and help. */
function hover(d: Diagnostic, sources: Sources): HTMLElement {
  const box = el('div', 'diag-hover');
  const head = el('div', 'diag-head');
  head.append(el('span', `diag-code diag-${d.severity}`, `${d.severity}[${d.code}]`), document.createTextNode(`: ${d.message}`));
  box.append(head);
  for (const l of d.labels) {
    const at = locate(l.span, sources);
    box.append(el('div', 'diag-label', `${l.span.file}${at ? `:${at.start.line}:${at.start.col}` : ''}: ${l.message}`));
  }
  for (const n of d.notes) box.append(el('div', 'diag-note', `note: ${n}`));
  if (d.help !== undefined) box.append(el('div', 'diag-help', `help: ${d.help}`));
  return box;
}

/** The diagnostics that have a place in `file`, for the editor; `length` is the document's. */
export function lintDiagnostics(diags: readonly Diagnostic[], file: string, sources: Sources, length: number): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  for (const d of sortDiagnostics(diags)) {
    const sp = d.span;
    if (!sp || sp.file !== file) continue;
    const from = Math.min(sp.start, length);
    const to = Math.min(Math.max(sp.end, from), length);
    const fix = d.suggestion !== undefined && d.suggestion.span.file === file && d.suggestion.span.end <= length ? d.suggestion : undefined;
    out.push({
      from,
      to,
      severity: severity(d),
      message: `${d.code}: ${d.message}`,
      renderMessage: () => hover(d, sources),
      // the compiler's suggestion (the closest known name) as a button in the hover, as the language server's quick fix
      ...(fix
        ? { actions: [{ name: `Replace with ${fix.replacement}`, apply: (view) => view.dispatch({ changes: { from: fix.span.start, to: fix.span.end, insert: fix.replacement } }) }] }
        : {}),
    });
  }
  return out;
}

/**
 * The problems list: every diagnostic, in the CLI's order and text. Clicking one that has a place
 * in the edited file calls `goto` with its offset.
 */
export function renderProblems(list: HTMLElement, diags: readonly Diagnostic[], file: string, sources: Sources, goto: (offset: number) => void): void {
  list.replaceChildren();
  const { shown, more } = capped(diags, maxListed);
  for (const d of shown) {
    const item = el('pre', `problem problem-${d.severity}`, renderText([d], sources));
    item.dataset['code'] = d.code;
    const sp = d.span;
    if (sp && sp.file === file) {
      item.classList.add('problem-here');
      item.title = 'go to this place';
      item.addEventListener('click', () => goto(sp.start));
    }
    list.append(item);
  }
  if (more > 0) list.append(el('p', 'problem', `... and ${more} more`));
}
