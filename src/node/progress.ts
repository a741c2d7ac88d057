/**
 * A progress line on a terminal for long work (a large compile, `run --repeat`, the fuzz run, the
 * benchmark): `label: what 12/100 (12%) 3 s`, redrawn in place at most ten times a second, shown
 * only once the work has lasted `delayMs` (so that quick commands print nothing extra), and
 * erased when done. On anything but a terminal (a pipe, a file, CI logs), or when the command
 * prints JSON, it prints nothing at all. RESDSL_PROGRESS_DELAY_MS changes the delay (tests set 0,
 * so that a line shows however fast the machine is).
 */

export interface Progress {
  /** Where the work is: `done` of `total` (unknown: undefined), and what is being done. */
  update(done: number, total?: number, what?: string): void;
  /** Erases the line (the command's own output follows). */
  done(): void;
  /** Runs `print` (which writes whole lines) with the progress line out of its way, then redraws it. */
  interrupt(print: () => void): void;
}

export interface ProgressOptions {
  /** Where to draw; standard error by default. */
  stream?: { isTTY?: boolean; write(s: string): unknown; columns?: number };
  /** Off when false (a command's --json); on a terminal otherwise. */
  enabled?: boolean;
  /** Nothing is drawn before the work has lasted this long. */
  delayMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** 300 ms, or RESDSL_PROGRESS_DELAY_MS when it is a whole number. */
function defaultDelay(): number {
  const v = process.env['RESDSL_PROGRESS_DELAY_MS'];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 300;
}

const silent: Progress = { update: () => undefined, done: () => undefined, interrupt: (print) => print() };

export function progress(label: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.enabled === false || stream.isTTY !== true) return silent;
  const now = opts.now ?? (() => performance.now());
  const start = now();
  const delay = opts.delayMs ?? defaultDelay();
  let last = -Infinity;
  let drawn = '';
  return {
    update(done, total, what) {
      const t = now();
      if (t - start < delay || t - last < 100) return;
      last = t;
      const pct = total !== undefined && total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : '';
      const count = total !== undefined ? ` ${done}/${total}` : done > 0 ? ` ${done}` : '';
      const line = `${label}:${what ? ` ${what}` : ''}${count}${pct} ${((t - start) / 1000).toFixed(0)} s`;
      const width = Math.max(20, (stream.columns || 80) - 1);
      drawn = `\r\x1b[2K${line.length > width ? line.slice(0, width) : line}`;
      stream.write(drawn);
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = '';
    },
    interrupt(print) {
      if (drawn) stream.write('\r\x1b[2K');
      print();
      if (drawn) stream.write(drawn);
    },
  };
}
