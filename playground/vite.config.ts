/**
 * The playground's build: a static site (index.html, JS, CSS) in playground/dist that any static
 * host serves from any folder (relative `base`). The compiler core is bundled from ../src as it
 * is; the examples, the standard library and the TextMate grammar are bundled as text. A plugin
 * fails the build when anything reaches for a Node built-in module: the core must run in a browser
 * unchanged, and a silently stubbed `node:fs` would only fail later, in a user's browser.
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const repo = fileURLToPath(new URL('..', import.meta.url));
/**
 * Cross-origin isolation: with these headers the page may share memory with its workers, and the
 * run pane's executor runs on two threads (on a host without them, on one).
 */
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const builtins = new Set(builtinModules);

/** Refuses `node:*` and bare built-in names (`fs`, `worker_threads`), naming the importer. */
function noNodeBuiltins(): Plugin {
  return {
    name: 'resdsl-no-node-builtins',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id.startsWith('node:') || builtins.has(id.split('/')[0]!)) {
        this.error(`${importer ?? 'an entry'} imports the Node module ${id}, which a browser does not have`);
      }
      return null;
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [noNodeBuiltins()],
  // top-level await (the parser loads chevrotain with it) and module workers
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es', plugins: () => [noNodeBuiltins()] },
  esbuild: { target: 'es2022' },
  optimizeDeps: { esbuildOptions: { target: 'es2022' } },
  server: { fs: { allow: [repo] }, headers: isolation },
  preview: { headers: isolation },
});
