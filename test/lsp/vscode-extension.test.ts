/**
 * The VS Code extension of editors/vscode agrees with the rest: its language and grammar are the
 * TextMate grammar of grammar/ (same scope name; the packaging script copies the file in), its
 * language configuration is valid JSON with `#` comments, its client is valid JavaScript that
 * starts `resdsl lsp`, a command the CLI has. Packaging (npm run package:vscode) needs the npm
 * registry and is not run here.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.js';

const read = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));

describe('editors/vscode', () => {
  const pkg = read('editors/vscode/package.json');
  const grammar = read('grammar/resdsl.tmLanguage.json');

  it('declares the resdsl language with the TextMate grammar of grammar/', () => {
    expect(pkg.contributes.languages).toEqual([expect.objectContaining({ id: 'resdsl', extensions: ['.resdsl'], configuration: './language-configuration.json' })]);
    expect(pkg.contributes.grammars).toEqual([{ language: 'resdsl', scopeName: grammar.scopeName, path: './syntaxes/resdsl.tmLanguage.json' }]);
    expect(fs.readFileSync('scripts/package-vscode.ts', 'utf8')).toContain("'grammar', 'resdsl.tmLanguage.json'");
    expect(pkg.activationEvents).toEqual(['onLanguage:resdsl']);
  });

  it('has a valid language configuration: # comments, the brackets of the language', () => {
    const conf = read('editors/vscode/language-configuration.json');
    expect(conf.comments).toEqual({ lineComment: '#' });
    expect(conf.brackets).toEqual([['{', '}'], ['(', ')'], ['[', ']'], ['<', '>']]);
    for (const p of Object.values(conf.indentationRules) as string[]) expect(() => new RegExp(p)).not.toThrow();
  });

  it('starts `resdsl lsp` from valid JavaScript', () => {
    const r = spawnSync(process.execPath, ['--check', 'editors/vscode/extension.js'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const src = fs.readFileSync('editors/vscode/extension.js', 'utf8');
    expect(src).toContain("'lsp']");
    expect(commands.has('lsp')).toBe(true);
    expect(pkg.main).toBe('./extension.js');
    expect(Object.keys(pkg.dependencies)).toEqual(['vscode-languageclient']);
  });
});
