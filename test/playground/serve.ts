/**
 * A static file server for the built playground, on 127.0.0.1 at a free port: what any static
 * host does, and nothing more (GET and HEAD of files under the root; no listing, no way out of
 * the root). With `isolated`, it also sends the two headers that make a page cross-origin
 * isolated (COOP and COEP, as hosts that allow headers can): the run pane then has two threads.
 * Closed by the test.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const types = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.json', 'application/json'],
  ['.wasm', 'application/wasm'],
  ['.svg', 'image/svg+xml'],
]);

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

export async function serveStatic(root: string, { isolated = false } = {}): Promise<StaticServer> {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(base, rel.endsWith('/') ? `${rel}index.html` : rel);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(base + path.sep) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types.get(path.extname(file)) ?? 'application/octet-stream', 'cache-control': 'no-store', ...(isolated ? isolation : {}) });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
