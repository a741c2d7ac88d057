/** How commands talk to the outside: output streams, and the two kinds of user-facing failure. */

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /**
   * Binary data on standard output (`-o -`), written in full before it returns; absent where
   * standard output cannot take it.
   */
  outBytes?(data: Uint8Array): Promise<void>;
  /** Standard output is a terminal (binary data is refused there). */
  readonly outIsTerminal?: boolean;
  readonly cwd: string;
}

/** A wrong command line: one line on stderr, exit code 2. */
export class UsageError extends Error {}

/** A failure the user can act on (unreadable file, bad weights): one line on stderr, exit code 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const exitCodes = { ok: 0, diagnostics: 1, usage: 2, internal: 70 } as const;

export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    outBytes: (data) => new Promise((resolve, reject) => process.stdout.write(data, (e) => (e ? reject(e) : resolve()))),
    outIsTerminal: process.stdout.isTTY === true,
    cwd: process.cwd(),
  };
}
