/**
 * The file system as the compiler's SourceHost: only regular files are read (a pipe or a device
 * could block forever), at most limits.maxSourceBytes, as UTF-8 text; the standard library is the
 * package's `std/` folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { limits } from '../limits.js';
import { notASource } from './file-kind.js';
import type { ReadSource, SourceHost } from '../program/host.js';

/** The bundled standard library folder (`std/` at the package root). */
export const stdDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../std');

/** What a system error code means, in the words every command uses (never the system's message, which names temporary files). */
const reasons = new Map([
  ['EACCES', 'permission denied'],
  ['EPERM', 'permission denied'],
  ['ENOTDIR', 'a part of the path is not a folder'],
  ['EISDIR', 'it is a folder'],
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'the disk quota is exceeded'],
  ['EROFS', 'the file system is read-only'],
  ['ENAMETOOLONG', 'the name is too long'],
  ['ELOOP', 'too many symbolic links'],
  ['EMFILE', 'too many open files'],
  ['EIO', 'an input/output error'],
]);

function reason(e: unknown, missing: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return missing;
  return (code !== undefined && reasons.get(code)) || (code !== undefined ? `system error ${code}` : String((e as Error).message ?? e).split('\n')[0]!);
}

/** One way to say that a file is missing or unreadable, for every command: `cannot read X: no such file`. */
export function cannotRead(shown: string, e: unknown): string {
  return `cannot read ${shown}: ${reason(e, 'no such file')}`;
}

/** One way to say that a file cannot be written: `cannot write X: no such folder` (a missing file is no reason: it is created). */
export function cannotWrite(shown: string, e: unknown): string {
  return `cannot write ${shown}: ${reason(e, 'no such folder')}`;
}

/** The first bytes of a file (up to 512, as `file` reads), to tell a binary file from a source. */
function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const head = new Uint8Array(512);
    return head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

const mib = (bytes: number) => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1).replace(/\.0$/, '')} MiB` : `${bytes} bytes`);

export function readSourceFile(absPath: string, shown: string): ReadSource {
  let st: fs.Stats;
  try {
    st = fs.statSync(absPath);
  } catch (e) {
    return { code: 'E0501', message: cannotRead(shown, e) };
  }
  if (st.isDirectory()) return { code: 'E0504', message: `${shown} is a folder, not a .resdsl file` };
  if (!st.isFile()) return { code: 'E0501', message: `cannot read ${shown}: not a regular file` };
  let bytes: Buffer;
  try {
    const head = readHead(absPath);
    const other = notASource(shown, head);
    if (other) return { code: 'E0006', message: other };
    if (st.size > limits.maxSourceBytes)
      return { code: 'E0005', message: `${shown} is too large for a source file: ${mib(st.size)}, more than the ${mib(limits.maxSourceBytes)} a source may have` };
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
