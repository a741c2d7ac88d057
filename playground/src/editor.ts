/**
 * The editor: CodeMirror 6 with resdsl highlighting, the usual editing keys (undo, search,
 * bracket matching, comment toggling), and the lint gutter and underlines that the page fills
 * with the compiler's diagnostics (setDiagnostics; the page runs the compiler itself, once per
 * change, for every pane).
 */
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab, toggleComment } from '@codemirror/commands';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { resdslHighlight, resdslLanguage } from './highlight.js';

export interface Editor {
  view: EditorView;
  text(): string;
  /** Replaces the whole document (an example picked, a link opened): no change event. */
  setText(text: string): void;
  setDiagnostics(d: readonly Diagnostic[]): void;
  goto(offset: number): void;
}

export function createEditor(parent: HTMLElement, text: string, onChange: () => void): Editor {
  let quiet = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        resdslLanguage,
        syntaxHighlighting(resdslHighlight),
        lintGutter(),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...lintKeymap, { key: 'Mod-/', run: toggleComment }, indentWithTab]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !quiet) onChange();
        }),
        EditorView.contentAttributes.of({ 'aria-label': 'resdsl source' }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(t) {
      quiet = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t }, selection: { anchor: 0 }, scrollIntoView: true });
      } finally {
        quiet = false;
      }
    },
    setDiagnostics(d) {
      view.dispatch(setDiagnostics(view.state, d));
    },
    goto(offset) {
      const at = Math.min(offset, view.state.doc.length);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    },
  };
}
