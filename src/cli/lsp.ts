/** `resdsl lsp`: the language server on standard input and output, until the editor ends it. */
import { runLanguageServer } from '../lsp/main.js';
import type { Io } from './io.js';
import type { Parsed } from './parse.js';

export function lspCommand(_args: Parsed, _io: Io): Promise<number> {
  runLanguageServer();
  // the server ends the process when the editor says `exit`
  return new Promise<number>(() => undefined);
}
