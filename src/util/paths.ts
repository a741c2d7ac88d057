/**
 * POSIX path arithmetic for the core, which imports no Node module so that it runs in a browser
 * too: the file host (program/host.ts) decides what a path means; the core only joins them.
 */

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

/** `a/./b/../c` -> `a/c`; keeps a leading `/`, and leading `..` of a relative path. */
export function normalize(p: string): string {
  const abs = isAbsolute(p);
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg !== '..' || !abs) out.push(seg);
  }
  const body = out.join('/');
  return abs ? `/${body}` : body || '.';
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== '').join('/'));
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : p.slice(0, i);
}

/** `rel` resolved against the folder `dir` (an absolute `rel` stands as it is). */
export function resolve(dir: string, rel: string): string {
  return isAbsolute(rel) ? normalize(rel) : join(dir, rel);
}
