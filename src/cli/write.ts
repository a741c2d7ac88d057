/** Writing a command's outputs: files atomically, or binary data to standard output for `-o -`; failures are one line, exit 1. */
import { WriteFailure, writeFilesAtomic, type FileToWrite } from '../node/atomic-write.js';
import { cannotWrite } from '../node/host.js';
import { CliError, type Io } from './io.js';

/** `-o -`: standard output rather than a file. */
export const STDOUT = '-';

/** Writes the files atomically (all or none); a failure names the user's path and why, never a temporary file. */
export async function writeOrFail(files: FileToWrite[]): Promise<void> {
  try {
    await writeFilesAtomic(files);
  } catch (e) {
    if (e instanceof WriteFailure) throw new CliError(cannotWrite(e.target, e.cause));
    throw e;
  }
}

/** Binary data (`what`, for the message) to standard output, refused on a terminal. */
export async function writeBinaryToStdout(io: Io, data: Uint8Array, what: string): Promise<void> {
  if (io.outIsTerminal || !io.outBytes)
    throw new CliError(`-o - writes ${what} to standard output, which is a terminal here; redirect it to a file or a pipe`);
  try {
    await io.outBytes(data);
  } catch (e) {
    throw new CliError(cannotWrite('standard output', e));
  }
}
