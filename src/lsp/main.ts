/** Starts the language server on stdin and stdout (what `resdsl lsp` runs; the editor starts it). */
import { startServer } from './server.js';

export function runLanguageServer(): void {
  startServer(process.stdin, process.stdout);
}
