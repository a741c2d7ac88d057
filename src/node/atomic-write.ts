/**
 * Atomic file replacement: data goes to a uniquely named temporary file in the target's
 * directory, is flushed to disk, and is then renamed over the target. A reader sees the old file
 * or the new one, never a part of either. On failure the temporary file is removed, an existing
 * target is left as it was, and the error is rethrown as a WriteFailure naming the target it was
 * for (I/O errors are the caller's to report; the temporary file's name means nothing to a user).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** An I/O error while writing `target` (its temporary file, or the rename onto it); `cause` is the system's error. */
export class WriteFailure extends Error {
  readonly code: string | undefined;
  constructor(
    readonly target: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.code = (cause as NodeJS.ErrnoException).code;
  }
}

/**
 * A file's bytes: one buffer, or chunks in order (an array, or any iterable: a generator that makes
 * each chunk when asked, which is written before the next is asked for).
 */
export type FileData = Uint8Array | Iterable<Uint8Array>;

export interface FileToWrite {
  path: string;
  data: FileData;
}

/** The largest piece handed to one write call (Linux writes at most about 2 GiB at once). */
const MAX_WRITE = 1 << 30;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let done = 0;
  while (done < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, done, Math.min(chunk.length - done, MAX_WRITE));
    done += bytesWritten;
  }
}

/**
 * Small chunks gathered into buffers of about 1 MiB, so that a model of many small tensors is not
 * thousands of write calls; large chunks pass as they are. The one buffer is reused: each piece
 * must be written before the next is asked for (a chunk handed in may be dropped or reused after).
 */
function* coalesce(chunks: Iterable<Uint8Array>): Generator<Uint8Array> {
  const size = 1 << 20;
  let buf: Uint8Array | undefined;
  let used = 0;
  for (const c of chunks) {
    if (c.length >= size) {
      if (used > 0) yield buf!.subarray(0, used);
      used = 0;
      yield c;
      continue;
    }
    if (used + c.length > size) {
      yield buf!.subarray(0, used);
      used = 0;
    }
    buf ??= new Uint8Array(size);
    buf.set(c, used);
    used += c.length;
  }
  if (used > 0) yield buf!.subarray(0, used);
}

/** The mode of an existing target, kept for its replacement; undefined when there is none. */
async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // Already gone, or never created: nothing to clean up.
  }
}

/** Writes `data` to a fresh temporary file next to `path`, fsynced; returns its path. */
async function writeTemp(path: string, data: FileData): Promise<string> {
  const temp = tempPathFor(path);
  const mode = await existingMode(path);
  let fh: FileHandle | undefined;
  try {
    fh = await open(temp, 'wx', mode ?? 0o666);
    if (mode !== undefined) await fh.chmod(mode);
    const chunks: Iterable<Uint8Array> = data instanceof Uint8Array ? [data] : data;
    for (const chunk of coalesce(chunks)) await writeAll(fh, chunk);
    await fh.sync();
    await fh.close();
    fh = undefined;
    return temp;
  } catch (e) {
    if (fh !== undefined) await fh.close().catch(() => undefined);
    await removeQuietly(temp);
    throw e;
  }
}

/** Flushes a directory's entries (the renames) to disk where the platform allows it. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Not supported everywhere (Windows); the rename itself is still atomic.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Replaces (or creates) the file at `path` with `data`, atomically. */
export async function writeFileAtomic(path: string, data: FileData): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}

/**
 * Writes several files: all temporary files first, then the renames in the order given. Put the
 * file that refers to the others last (the model after its external data), so that it never
 * points at data that is not there yet. If a temporary file cannot be written, no target changes.
 */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  const temps: string[] = [];
  let target = '';
  try {
    for (const f of files) {
      target = f.path;
      temps.push(await writeTemp(f.path, f.data));
    }
    for (const [i, f] of files.entries()) {
      target = f.path;
      await rename(temps[i] as string, f.path);
      temps[i] = '';
    }
  } catch (e) {
    for (const t of temps) if (t !== '') await removeQuietly(t);
    throw new WriteFailure(target, e);
  }
  for (const dir of new Set(files.map((f) => dirname(f.path)))) await syncDir(dir);
}
