// The resdsl extension: starts `resdsl lsp` (the language server of the resdsl package) over
// stdio for .resdsl files. Everything else (diagnostics, hover, definition, completion, formatting)
// is the server's. Plain CommonJS: the extension needs no build step.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('resdsl');
  const command = config.get('server.command', 'resdsl');
  const args = [...config.get('server.args', []), 'lsp'];
  const server = { command, args };
  client = new LanguageClient('resdsl', 'resdsl', { run: server, debug: server }, { documentSelector: [{ language: 'resdsl' }] });
  context.subscriptions.push(client);
  return client.start().catch((e) => {
    void vscode.window.showErrorMessage(`resdsl: cannot start the language server (${command} ${args.join(' ')}): ${e.message}. Install resdsl or set resdsl.server.command.`);
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
