/**
 * `resdsl lsp`: the language server, on vscode-languageserver over stdio. Open documents are
 * analysed on open and after each change (debounced), with every other open document read from
 * its buffer; diagnostics are published for each file they are in. Every request is answered from
 * the latest analysis (made on demand when the debounce has not run yet). A request that fails
 * answers nothing and logs the error: the server never stops on a document.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DocumentSymbol,
  ErrorCodes,
  MarkupKind,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  TextEdit,
  type CompletionItem,
  type Connection,
  type Location,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatSource } from '../fmt/index.js';
import { nodeHost } from '../node/host.js';
import { analyze, type Analysis } from './analysis.js';
import { completions, signatureHelp, type Item } from './complete.js';
import { diagnosticsByUri } from './diagnostics.js';
import { hover } from './hover.js';
import { definition, documentSymbols, references, symbolKeyAt, type Place, type SymbolInfo } from './navigate.js';
import { quickFixes } from './actions.js';
import { rename, renameTarget } from './rename.js';
import { offsetAt, pathToUri, rangeOf, spanRange, uriToPath } from './text.js';
import { workspaceAnalyses } from './workspace.js';

/** How long after the last keystroke a document is analysed again. */
export const debounceMs = 200;

const itemKinds: Record<Item['kind'], CompletionItemKind> = {
  layer: CompletionItemKind.Function,
  block: CompletionItemKind.Class,
  network: CompletionItemKind.Module,
  keyword: CompletionItemKind.Keyword,
  argument: CompletionItemKind.Property,
  variable: CompletionItemKind.Variable,
  function: CompletionItemKind.Function,
  module: CompletionItemKind.Module,
  value: CompletionItemKind.Value,
};

export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Connection {
  const connection = createConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The URIs each open document published diagnostics to, to clear them when they go away. */
  const published = new Map<string, Set<string>>();
  let roots: string[] = [];

  /** The path a document is analysed under (an unsaved buffer gets one of its own). */
  const pathOf = (uri: string) => uriToPath(uri) ?? path.join(path.sep, 'untitled', `${encodeURIComponent(uri)}.resdsl`);
  const uriOfPath = (p: string) => {
    for (const d of documents.all()) if (pathOf(d.uri) === p) return d.uri;
    return pathToUri(p);
  };
  const openText = (p: string) => {
    for (const d of documents.all()) if (pathOf(d.uri) === p) return d.getText();
    return undefined;
  };

  /** The analysis of a document's current version, made now if needed. */
  const current = (uri: string): Analysis | undefined => {
    const doc = documents.get(uri);
    if (doc === undefined) return undefined;
    const a = analyses.get(uri);
    if (a !== undefined && a.version === doc.version) return a;
    const fresh = analyze(pathOf(uri), doc.version, doc.getText(), openText);
    analyses.set(uri, fresh);
    return fresh;
  };

  const publish = (uri: string) => {
    const a = current(uri);
    if (a === undefined) return;
    const byUri = diagnosticsByUri(a, uriOfPath);
    const open = new Set(documents.all().map((d) => d.uri));
    const now = new Set<string>();
    for (const [target, diags] of byUri) {
      // an open document publishes its own diagnostics
      if (target !== uri && open.has(target)) continue;
      now.add(target);
      void connection.sendDiagnostics({ uri: target, diagnostics: diags });
    }
    for (const old of published.get(uri) ?? []) if (!now.has(old) && !open.has(old)) void connection.sendDiagnostics({ uri: old, diagnostics: [] });
    published.set(uri, now);
  };

  const schedule = (uri: string, delay: number) => {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        safely('diagnostics', () => publish(uri), undefined);
        // documents that use this one see its new text
        for (const d of documents.all()) if (d.uri !== uri && analyses.get(d.uri)?.program?.files.has(pathOf(uri))) safely('diagnostics', () => publish(d.uri), undefined);
      }, delay),
    );
  };

  function safely<T>(what: string, f: () => T, fallback: T): T {
    try {
      return f();
    } catch (e) {
      connection.console.error(`resdsl ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  }

  /** The analyses of every open document and of the workspace's other files (for references and rename). */
  const everyAnalysis = (): Analysis[] => {
    const open = documents.all().flatMap((d) => {
      const x = current(d.uri);
      return x ? [x] : [];
    });
    return [...open, ...workspaceAnalyses(roots, new Set(open.map((x) => x.path)), openText)];
  };

  const location = (p: Place): Location | undefined => {
    const text = openText(p.path) ?? readText(p.path);
    return text === undefined ? undefined : { uri: uriOfPath(p.path), range: spanRange(text, p.span) };
  };

  connection.onInitialize((params) => {
    roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    if (roots.length === 0 && params.rootUri) {
      const r = uriToPath(params.rootUri);
      if (r !== undefined) roots = [r];
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: ['(', ',', '/', ' '] },
        signatureHelpProvider: { triggerCharacters: ['(', ','] },
      },
      serverInfo: { name: 'resdsl' },
    };
  });

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => schedule(e.document.uri, debounceMs));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    analyses.delete(e.document.uri);
    for (const u of published.get(e.document.uri) ?? []) void connection.sendDiagnostics({ uri: u, diagnostics: [] });
    published.delete(e.document.uri);
  });

  connection.onHover((p) =>
    safely('hover', () => {
      const a = current(p.textDocument.uri);
      if (a === undefined) return null;
      const h = hover(a, offsetAt(a.text, p.position));
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: spanRange(a.text, h.span) } : null;
    }, null),
  );

  connection.onDefinition((p) =>
    safely('definition', () => {
      const a = current(p.textDocument.uri);
      if (a === undefined) return null;
      const d = definition(a, offsetAt(a.text, p.position));
      return (d && location(d)) ?? null;
    }, null),
  );

  connection.onReferences((p) =>
    safely('references', () => {
      const a = current(p.textDocument.uri);
      if (a === undefined) return [];
      const key = symbolKeyAt(a, offsetAt(a.text, p.position));
      if (key === undefined) return [];
      return references(everyAnalysis(), key, p.context.includeDeclaration).flatMap((r) => location(r) ?? []);
    }, []),
  );

  connection.onCodeAction((p) =>
    safely('code actions', () => {
      const a = current(p.textDocument.uri);
      if (a === undefined) return [];
      const fixes = quickFixes(a, offsetAt(a.text, p.range.start), offsetAt(a.text, p.range.end));
      return fixes.map((f) => {
        const changes = Object.create(null) as Record<string, TextEdit[]>; // keyed by a URI: no prototype
        changes[p.textDocument.uri] = [TextEdit.replace(spanRange(a.text, f.span), f.replacement)];
        return { title: f.title, kind: CodeActionKind.QuickFix, isPreferred: true, edit: { changes } };
      });
    }, []),
  );

  connection.onPrepareRename((p) =>
    safely('rename', () => {
      const a = current(p.textDocument.uri);
      if (a === undefined) return null;
      const t = renameTarget(a, offsetAt(a.text, p.position));
      return t.ok ? { range: spanRange(a.text, t.span), placeholder: t.name } : new ResponseError(ErrorCodes.InvalidRequest, t.reason);
    }, null),
  );

  connection.onRenameRequest((p) =>
    safely('rename', () => {
      const a = current(p.textDocument.uri);
      if (a === undefined) return null;
      const t = renameTarget(a, offsetAt(a.text, p.position));
      if (!t.ok) return new ResponseError(ErrorCodes.InvalidRequest, t.reason);
      const textOf = (f: string) => openText(f) ?? readText(f);
      const r = rename(a, t.key, p.newName, everyAnalysis(), textOf);
      if (!r.ok) return new ResponseError(ErrorCodes.InvalidRequest, r.reason);
      const changes: Record<string, TextEdit[]> = Object.create(null) as Record<string, TextEdit[]>;
      for (const [f, list] of r.edits) {
        const text = textOf(f)!;
        changes[uriOfPath(f)] = list.map((e) => TextEdit.replace(spanRange(text, e.span), e.newText));
      }
      return { changes };
    }, null),
  );

  connection.onDocumentSymbol((p) =>
    safely('symbols', () => {
      const a = current(p.textDocument.uri);
      const root = a?.program?.root;
      if (a === undefined || root === undefined) return [];
      const convert = (s: SymbolInfo): DocumentSymbol =>
        DocumentSymbol.create(
          s.name,
          s.detail,
          s.kind === 'block' ? SymbolKind.Function : s.kind === 'network' ? SymbolKind.Class : SymbolKind.Field,
          spanRange(a.text, s.span),
          spanRange(a.text, s.nameSpan),
          s.children.map(convert),
        );
      return documentSymbols(root.ast, a.text).map(convert);
    }, []),
  );

  connection.onCompletion((p) =>
    safely('completion', () => {
      const doc = documents.get(p.textDocument.uri);
      if (doc === undefined) return [];
      const text = doc.getText();
      const a = analyses.get(p.textDocument.uri);
      return completions(a, text, offsetAt(text, p.position), nodeHost.stdModules()).map(
        (i): CompletionItem => ({
          label: i.label,
          kind: itemKinds[i.kind],
          sortText: i.sort,
          ...(i.detail !== undefined ? { detail: i.detail } : {}),
          ...(i.doc !== undefined && i.doc !== '' ? { documentation: { kind: MarkupKind.Markdown, value: i.doc } } : {}),
          ...(i.insert !== undefined ? { insertText: i.insert } : {}),
        }),
      );
    }, []),
  );

  connection.onSignatureHelp((p) =>
    safely('signature help', () => {
      const doc = documents.get(p.textDocument.uri);
      if (doc === undefined) return null;
      const text = doc.getText();
      const s = signatureHelp(analyses.get(p.textDocument.uri), text, offsetAt(text, p.position));
      if (s === undefined) return null;
      let at = s.signature.label.indexOf('(') + 1;
      const parameters = s.signature.params.map((q) => {
        const start = s.signature.label.indexOf(q.text, at);
        at = start + q.text.length;
        return { label: [start, start + q.text.length] as [number, number], ...(q.doc ? { documentation: q.doc } : {}) };
      });
      return { signatures: [{ label: s.signature.label, documentation: s.signature.doc, parameters }], activeSignature: 0, activeParameter: s.active };
    }, null),
  );

  connection.onDocumentFormatting((p) =>
    safely('formatting', () => {
      const doc = documents.get(p.textDocument.uri);
      if (doc === undefined) return [];
      const text = doc.getText();
      const r = formatSource(text, pathOf(p.textDocument.uri));
      if (!r.ok || r.text === text) return [];
      return [{ range: rangeOf(text, 0, text.length), newText: r.text }];
    }, []),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}

function readText(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}
