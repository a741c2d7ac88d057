/**
 * A language client for the tests: starts `resdsl lsp` (the built binary) as a process and speaks
 * JSON-RPC to it over the LSP base protocol (Content-Length framed messages on stdin and stdout),
 * written here from the specification so that it shares no code with the server's library.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const bin = path.resolve('bin/resdsl.js');
export const uriOf = (p: string) => pathToFileURL(path.resolve(p)).href;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class LspClient {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Notifications from the server, by method, in order. */
  readonly notifications: { method: string; params: unknown }[] = [];
  private readonly waiters: { test: (n: { method: string; params: unknown }) => boolean; resolve: (v: unknown) => void }[] = [];
  stderr = '';
  exited: number | null | undefined;

  constructor(args: string[] = ['lsp']) {
    this.proc = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d: Buffer) => this.read(d));
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc.on('exit', (code) => {
      this.exited = code;
      for (const p of this.pending.values()) p.reject(new Error(`the server exited (${code}): ${this.stderr}`));
    });
  }

  private read(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } }): void {
    if (msg.method !== undefined && msg.id !== undefined) {
      // a request from the server (configuration, capabilities): answered with nothing
      this.send({ jsonrpc: '2.0', id: msg.id, result: null });
      return;
    }
    if (msg.method !== undefined) {
      const n = { method: msg.method, params: msg.params };
      this.notifications.push(n);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i]!.test(n)) {
          this.waiters[i]!.resolve(n.params);
          this.waiters.splice(i, 1);
        }
      }
      return;
    }
    const p = this.pending.get(msg.id!);
    if (!p) return;
    this.pending.delete(msg.id!);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result);
  }

  private send(msg: unknown): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next notification (from now, or one already received that matches) for which `test` holds. */
  waitFor<T = unknown>(method: string, test: (params: T) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
    const hit = this.notifications.find((n) => n.method === method && test(n.params as T));
    if (hit) return Promise.resolve(hit.params as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        test: (n) => n.method === method && test(n.params as T),
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
      });
    });
  }

  async initialize(rootPath = '.'): Promise<unknown> {
    const r = await this.request('initialize', { processId: process.pid, rootUri: uriOf(rootPath), capabilities: {}, workspaceFolders: [{ uri: uriOf(rootPath), name: 'root' }] });
    this.notify('initialized', {});
    return r;
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'resdsl', version, text } });
  }

  change(uri: string, text: string, version: number): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Asks the server to shut down and exit; resolves with its exit code. */
  async stop(): Promise<number | null> {
    if (this.exited !== undefined) return this.exited;
    await this.request('shutdown', null);
    const done = new Promise<number | null>((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.notify('exit', null);
    return done;
  }

  kill(): void {
    if (this.exited === undefined) this.proc.kill();
  }
}

/** The LSP position (line, character) of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not in the text`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
