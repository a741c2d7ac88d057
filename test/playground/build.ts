/**
 * Builds the playground (what `npm run playground:build` does) into a given folder, with Vite's
 * API, and lists what the bundle holds that a browser does not have: imports of Node modules
 * (`node:*`, or Vite's stand-in for a built-in it was asked to drop) in any emitted script,
 * workers included.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'vite';

const repo = path.resolve(new URL('../..', import.meta.url).pathname);
export const viteConfig = path.join(repo, 'playground/vite.config.ts');

export interface Built {
  files: string[];
  /** `file: what` for each Node module reference found in a script. */
  nodeImports: string[];
}

const nodeRef = /(?:from\s*|import\s*\(\s*)["'](node:[^"']+)["']|__vite-browser-external/g;

export async function buildPlayground(outDir: string): Promise<Built> {
  await build({ configFile: viteConfig, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const files = fs.readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(outDir, f)).isFile());
  const nodeImports: string[] = [];
  for (const f of files.filter((x) => /\.m?js$/.test(x))) {
    for (const m of fs.readFileSync(path.join(outDir, f), 'utf8').matchAll(nodeRef)) nodeImports.push(`${f}: ${m[1] ?? m[0]}`);
  }
  return { files, nodeImports };
}
