/**
 * The file system as the compiler's SourceHost: only regular files are read (a pipe or a device
 * could block forever), at most limits.maxSourceBytes, as UTF-8 text; the standard library is the
 * package's `std/` folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { limits } from '../limits.js';
import type { ReadSource, SourceHost } from '../program/host.js';

/** The bundled standard library folder (`std/` at the package root). */
export const stdDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../std');

/** One way to say that a file is missing or unreadable, for every command. */
export function cannotRead(shown: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of the path is not a folder' : String((e as Error).message);
  return `cannot read ${shown}: ${why}`;
}

export function readSourceFile(absPath: string, shown: string): ReadSource {
  let st: fs.Stats;
  try {
    st = fs.statSync(absPath);
  } catch (e) {
    return { code: 'E0501', message: cannotRead(shown, e) };
  }
  if (st.isDirectory()) return { code: 'E0504', message: `${shown} is a folder, not a .resdsl file` };
  if (!st.isFile()) return { code: 'E0501', message: `cannot read ${shown}: not a regular file` };
  if (st.size > limits.maxSourceBytes)
    return { code: 'E0005', message: `${shown} is too large for a source file: ${st.size} bytes, the limit is ${limits.maxSourceBytes}` };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absPath);
  } catch (e) {
    return { code: 'E0501', message: cannotRead(shown, e) };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { code: 'E0006', message: `${shown} is not valid UTF-8 text` };
  }
}

export const nodeHost: SourceHost = {
  read: readSourceFile,
  resolve: (from, rel) => path.resolve(path.dirname(from), rel),
  stdPath(name) {
    const p = path.join(stdDir, `${name}.resdsl`);
    return fs.existsSync(p) ? p : undefined;
  },
  stdModules() {
    try {
      return fs.readdirSync(stdDir).filter((f) => f.endsWith('.resdsl')).map((f) => f.slice(0, -7)).sort();
    } catch {
      return [];
    }
  },
};
