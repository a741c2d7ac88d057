/**
 * `npm run package:vscode`: the VS Code extension of editors/vscode as a .vsix: the TextMate
 * grammar and the licence copied in, the client library installed, and the package made by
 * Microsoft's vsce (3.x, which runs on Node 20; fetched by npx). Needs the npm registry.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ext = path.join(root, 'editors', 'vscode');
fs.mkdirSync(path.join(ext, 'syntaxes'), { recursive: true });
fs.copyFileSync(path.join(root, 'grammar', 'resdsl.tmLanguage.json'), path.join(ext, 'syntaxes', 'resdsl.tmLanguage.json'));
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(ext, 'LICENSE'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const version = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8')).version as string;
const out = `resdsl-${version}.vsix`;
try {
  execFileSync(npm, ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: ext, stdio: 'inherit' });
  execFileSync(npx, ['--yes', '@vscode/vsce@3.9.2', 'package', '--allow-missing-repository', '--skip-license', '--out', out], { cwd: ext, stdio: 'inherit' });
} catch (e) {
  console.error(`package:vscode: ${(e as Error).message.split('\n')[0]} (see the output above)`);
  process.exit(1);
}
console.log(`wrote ${path.join('editors', 'vscode', out)}; install it with: code --install-extension ${path.join('editors', 'vscode', out)}`);
