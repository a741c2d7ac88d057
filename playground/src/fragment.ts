/**
 * The page's state in the URL fragment, so that a link shares a spec: `#example=resnet50` for an
 * unchanged example, otherwise `#file=NAME&code=DATA` with the source deflated (the browser's
 * CompressionStream) and base64url-encoded; options that differ from the CLI's defaults follow
 * (`shortcut=A&seed=7&fuse=0&network=NAME`). A fragment never reaches a server.
 */
import { limits } from '../../src/limits.js';
import { defaultOptions, parseSeed, type Options } from './options.js';

export interface PageState {
  /** The example the source came from, when it is that example unchanged. */
  example?: string;
  file: string;
  text: string;
  options: Options;
  network?: string;
}

/** What a fragment says, before the examples are consulted; or why it cannot be read. */
export type ParsedFragment =
  | { ok: true; example?: string; file?: string; text?: string; options: Options; network?: string }
  | { ok: false; message: string; options: Options };

/** A display name a link may set: a relative path of plain characters ending in .resdsl. */
export const validFile = (f: string) => /^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,199}\.resdsl$/.test(f) && !f.split('/').includes('..');

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates at most `max` bytes: a link cannot make the page allocate more than a source may hold. */
async function inflate(bytes: Uint8Array<ArrayBuffer>, max: number): Promise<string | undefined> {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(all);
}

export async function encodeFragment(s: PageState): Promise<string> {
  const p = new URLSearchParams();
  if (s.example !== undefined) p.set('example', s.example);
  else {
    p.set('file', s.file);
    p.set('code', toBase64Url(await deflate(s.text)));
  }
  if (s.options.shortcut !== defaultOptions.shortcut) p.set('shortcut', s.options.shortcut);
  if (s.options.seed !== defaultOptions.seed) p.set('seed', String(s.options.seed));
  if (s.options.fuse !== defaultOptions.fuse) p.set('fuse', s.options.fuse ? '1' : '0');
  if (s.network !== undefined) p.set('network', s.network);
  return `#${p.toString()}`;
}

export async function parseFragment(hash: string): Promise<ParsedFragment> {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const shortcut = p.get('shortcut');
  const seed = p.get('seed');
  const options: Options = {
    shortcut: shortcut === 'A' || shortcut === 'B' || shortcut === 'C' ? shortcut : defaultOptions.shortcut,
    seed: (seed !== null ? parseSeed(seed) : undefined) ?? defaultOptions.seed,
    fuse: p.get('fuse') !== '0',
  };
  const network = p.get('network') ?? undefined;
  const base = { options, ...(network !== undefined ? { network } : {}) };
  const example = p.get('example');
  if (example !== null) return { ok: true, ...base, example };
  const code = p.get('code');
  if (code === null) return { ok: true, ...base };
  const file = p.get('file') ?? 'playground.resdsl';
  if (!validFile(file)) return { ok: false, message: `the link's file name ${JSON.stringify(file.slice(0, 80))} is not a relative .resdsl path`, options };
  try {
    const text = await inflate(fromBase64Url(code), limits.maxSourceBytes);
    if (text === undefined) return { ok: false, message: `the link's source is larger than ${limits.maxSourceBytes} bytes`, options };
    return { ok: true, ...base, file, text };
  } catch {
    return { ok: false, message: 'the link is damaged: its source cannot be decoded', options };
  }
}
