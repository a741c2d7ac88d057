/**
 * The progress line: drawn only on a terminal, only once the work lasts, redrawn at most ten times
 * a second, erased when done and around other output; nothing at all in a pipe or with --json.
 * And the real thing: `resdsl compile` of ResNet-50 under a pseudo-terminal shows its stages.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { progress } from '../../src/node/progress.js';

function fakeTerminal(isTTY = true) {
  const writes: string[] = [];
  let t = 0;
  return { stream: { isTTY, columns: 60, write: (s: string) => writes.push(s) }, writes, tick: (ms: number) => (t += ms), now: () => t };
}

describe('progress', () => {
  it('waits for the delay, throttles, erases when done and around other output', () => {
    const f = fakeTerminal();
    const bar = progress('compile x.resdsl', { stream: f.stream, now: f.now, delayMs: 300 });
    bar.update(1, 10, 'parse');
    expect(f.writes).toEqual([]);
    f.tick(400);
    bar.update(3, 10, 'elaborate');
    expect(f.writes).toEqual(['\r\x1b[2Kcompile x.resdsl: elaborate 3/10 (30%) 0 s']);
    f.tick(50);
    bar.update(4, 10, 'shortcut'); // within 100 ms of the last: not drawn
    expect(f.writes.length).toBe(1);
    f.tick(1000);
    bar.update(9, 10, 'a very long stage name that does not fit in the sixty columns of this terminal');
    expect(f.writes[1]!.length).toBe('\r\x1b[2K'.length + 59);
    const printed: string[] = [];
    bar.interrupt(() => printed.push('a line'));
    expect(printed).toEqual(['a line']);
    expect(f.writes.slice(2)).toEqual(['\r\x1b[2K', f.writes[1]]);
    bar.done();
    expect(f.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('prints nothing in a pipe or when turned off (--json)', () => {
    for (const [isTTY, enabled] of [[false, true], [true, false]] as const) {
      const f = fakeTerminal(isTTY);
      const bar = progress('run', { stream: f.stream, now: f.now, delayMs: 0, enabled });
      f.tick(500);
      bar.update(1, 2);
      bar.interrupt(() => undefined);
      bar.done();
      expect(f.writes).toEqual([]);
    }
  });

  it('shows the stages of a compile on a terminal (a pseudo-terminal made by script(1)), and nothing in a pipe', () => {
    expect(fs.existsSync('/usr/bin/script'), 'script(1) (bsdutils, essential on Debian) makes the pseudo-terminal').toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-progress-'));
    try {
      const out = path.join(dir, 'r50.onnx');
      const cmd = `${process.execPath} bin/resdsl.js compile examples/resnet50.resdsl -o ${out}`;
      // no delay: the line must show however quickly this machine compiles ResNet-50
      const tty = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, RESDSL_PROGRESS_DELAY_MS: '0' } });
      expect(tty.stdout).toMatch(/\r\x1b\[2Kcompile examples\/resnet50\.resdsl: [a-z]+ \d+\/\d+ \(\d+%\)/);
      expect(tty.stdout).toMatch(/\r\x1b\[2Kwrote /);
      const piped = spawnSync(process.execPath, ['bin/resdsl.js', 'compile', 'examples/resnet50.resdsl', '-o', out], { encoding: 'utf8' });
      expect(piped.stderr).toMatch(/^wrote \S+ \(\d+ nodes/);
      expect(piped.stderr).not.toContain('\x1b');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
