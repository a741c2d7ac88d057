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
 * each chunk when asked; a chunk is copied before the next is asked for, so its maker may reuse it).
 */
export type FileData = Uint8Array | Iterable<Uint8Array>;

export interface FileToWrite {
  path: string;
  data: FileData;
}

const isSystemError = (e: unknown): boolean => e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';

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

/** The size of the pieces written, and of each of the two buffers they are gathered in. */
const PIECE = 1 << 20;

/**
 * The chunks as pieces to write, in order: gathered into buffers of PIECE bytes, so that a model
 * of many small tensors is not thousands of write calls. Two buffers take turns, so that the next
 * piece can be made (the chunks after it made and copied) while the one before is being written:
 * a piece's buffer is filled again only after the piece after it has been taken. A chunk is copied
 * before the next is asked for, so it may view a buffer its maker reuses; with `stable` chunks
 * (an array's, which nobody changes) a large one passes as it is, without a copy.
 */
function* pieces(chunks: Iterable<Uint8Array>, stable: boolean): Generator<Uint8Array> {
  const bufs: Uint8Array[] = [];
  let turn = 0;
  let used = 0;
  function* flush(): Generator<Uint8Array> {
    if (used === 0) return;
    yield bufs[turn]!.subarray(0, used);
    turn ^= 1;
    used = 0;
  }
  for (const c of chunks) {
    if (stable && c.length >= PIECE) {
      yield* flush();
      yield c;
      continue;
    }
    for (let off = 0; off < c.length; ) {
      const buf = (bufs[turn] ??= new Uint8Array(PIECE));
      const n = Math.min(c.length - off, PIECE - used);
      buf.set(n === c.length ? c : c.subarray(off, off + n), used);
      used += n;
      off += n;
      if (used === PIECE) yield* flush();
    }
  }
  yield* flush();
}

/**
 * Writes the pieces in order, one in flight while the next is made: making a model's tensors and
 * the system's copying of the one before into the page cache overlap (each took about as long).
 */
async function writePieces(fh: FileHandle, data: FileData): Promise<void> {
  const stable = data instanceof Uint8Array || Array.isArray(data);
  let inFlight: Promise<void> | undefined;
  try {
    for (const piece of pieces(data instanceof Uint8Array ? [data] : data, stable)) {
      await inFlight;
      inFlight = writeAll(fh, piece);
    }
    await inFlight;
  } catch (e) {
    await inFlight?.catch(() => undefined); // a piece's maker failed: let its write finish before the file is closed
    throw e;
  }
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
    await writePieces(fh, data);
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
    // a system error is the write's; anything else came from making the data (a compiler bug), and is not disguised as one
    throw isSystemError(e) ? new WriteFailure(target, e) : e;
  }
  for (const dir of new Set(files.map((f) => dirname(f.path)))) await syncDir(dir);
}
