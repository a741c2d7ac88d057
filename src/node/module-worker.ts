/**
 * Starting a worker_threads Worker on one of resdsl's own modules, which exports `start(workerData)`:
 * the compiled .js beside this file, or, when resdsl runs from source (tests, tsx), the .ts through
 * tsx's loader. What the worker does when its module cannot be loaded is the caller's `onFailure`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** URL of tsx's ESM register API, found from its package.json (tsx is a dev dependency). */
function tsxApiUrl(from: string): string {
  const pkgPath = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}

/**
 * Source of the worker: loads `module` (a path relative to src/node/, without its extension) and
 * calls its `start(workerData)`; if that fails, runs `onFailure`, statements that see the error as
 * `e` and `workerData`.
 */
function bootstrap(module: string, onFailure: string): string {
  const self = import.meta.url;
  const fromSource = self.endsWith('.ts');
  const workerUrl = new URL(`${module}${fromSource ? '.ts' : '.js'}`, self).href;
  const register = fromSource ? `(await import(${JSON.stringify(tsxApiUrl(self))})).register();` : '';
  return `const { workerData } = require('node:worker_threads');
(async () => { ${register} await (await import(${JSON.stringify(workerUrl)})).start(workerData); })().catch((e) => { ${onFailure} });`;
}

/** A Worker running `module`'s start(workerData); unref'd: the process may end while it waits for work. */
export function startModuleWorker(module: string, workerData: unknown, onFailure: string, resourceLimits?: ResourceLimits): Worker {
  const worker = new Worker(bootstrap(module, onFailure), { eval: true, workerData, ...(resourceLimits ? { resourceLimits } : {}) });
  worker.unref();
  return worker;
}
