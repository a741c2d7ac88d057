/**
 * Files around the source: `use` of a missing file, a folder, a cycle, a device, a pipe, a file
 * that is too large or not UTF-8 (each a diagnostic at the `use`); and output paths: an output
 * equal to an input is refused, and when compile or run fails (diagnostics, or a write that cannot
 * happen) nothing is written and an existing output is left as it was.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractProblems, describeOutcome, viaBinary } from '../fuzz/harness.js';
import { cli, expectClearError, leftovers, NET, tempDir, writeNet } from './helpers.js';

const dir = tempDir('files');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string | Uint8Array): string {
  const f = path.join(dir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
}

const user = (target: string) => `use "${target}"\n\n${NET}`;

/** check, summary and compile of `file` all fail with `code` at a `use`; compile writes nothing. */
async function expectUseError(file: string, code: string, reason: RegExp): Promise<void> {
  const out = path.join(dir, 'never.onnx');
  for (const argv of [['check', file], ['summary', file], ['compile', file, '-o', out]]) {
    const o = await cli(argv);
    expect(o.code, describeOutcome(o)).toBe(1);
    expect(contractProblems(o), describeOutcome(o)).toEqual([]);
    expect(o.err).toContain(`error[${code}]`);
    expect(o.err).toMatch(reason);
  }
  expect(fs.existsSync(out)).toBe(false);
}

describe('use', () => {
  it('of a missing file: E0501 at the use', async () => {
    await expectUseError(write('missing-user.resdsl', user('./nope.resdsl')), 'E0501', /no such file[\s\S]*use "\.\/nope\.resdsl"/);
  });

  it('of a folder: E0504', async () => {
    fs.mkdirSync(path.join(dir, 'folder.resdsl'), { recursive: true });
    await expectUseError(write('folder-user.resdsl', user('./folder.resdsl')), 'E0504', /is a folder/);
  });

  it('in a cycle of two files, and of a file using itself: E0503 naming the cycle', async () => {
    write('cycle-b.resdsl', 'use "./cycle-a.resdsl"\nblock b(out) relu\n');
    await expectUseError(write('cycle-a.resdsl', user('./cycle-b.resdsl')), 'E0503', /cycle: .*cycle-a\.resdsl -> .*cycle-b\.resdsl -> .*cycle-a\.resdsl/);
    await expectUseError(write('self.resdsl', user('./self.resdsl')), 'E0503', /cycle/);
  });

  it('of an unknown standard module: E0502 listing the modules', async () => {
    await expectUseError(write('std-user.resdsl', `use std/nope\n\n${NET}`), 'E0502', /std\/resnet/);
  });

  it('of a file that is not UTF-8, or too large: E0006, E0005', async () => {
    write('latin1.resdsl', Uint8Array.from([0x62, 0x6c, 0x6f, 0x63, 0x6b, 0x20, 0xe9, 0xff, 0x0a]));
    await expectUseError(write('latin1-user.resdsl', user('./latin1.resdsl')), 'E0006', /UTF-8/);
    const big = path.join(dir, 'big.resdsl');
    fs.writeFileSync(big, `${'#'.repeat(1000)}\n`); // text first: a file that begins with NUL bytes is binary
    fs.truncateSync(big, 8 * 1024 * 1024 + 1); // sparse: no 8 MiB written
    await expectUseError(write('big-user.resdsl', user('./big.resdsl')), 'E0005', /too large/);
  });

  it.runIf(fs.existsSync('/dev/zero'))('of a device: E0501, not an endless read', async () => {
    await expectUseError(write('dev-user.resdsl', user('/dev/zero')), 'E0501', /not a regular file/);
  });

  it.runIf(spawnSync('mkfifo', ['--help']).status === 0)('of a named pipe, and a pipe as the file checked: E0501, not a hang', () => {
    const fifo = path.join(dir, 'pipe.resdsl');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const user1 = write('pipe-user.resdsl', user('./pipe.resdsl'));
    for (const argv of [['check', user1], ['check', fifo], ['compile', fifo, '-o', path.join(dir, 'p.onnx')]]) {
      const o = viaBinary(argv, 30_000);
      expect(contractProblems(o, 30_000), describeOutcome(o)).toEqual([]);
      expect(o.code).toBe(1);
      expect(o.err).toMatch(/error\[E0501\].*not a regular file/);
    }
    fs.rmSync(fifo);
  });
});

describe('output paths', () => {
  const net = writeNet(dir);

  it('equal to the input, directly or through a link, is refused and the input kept', async () => {
    const link = path.join(dir, 'link.onnx');
    fs.symlinkSync(net, link);
    for (const argv of [
      ['compile', net, '-o', net],
      ['compile', net, '-o', link],
      ['compile', net, '--emit', 'ir', '-o', net],
      ['run', net, '-o', net],
    ]) {
      const o = await cli(argv);
      expectClearError(o, /^resdsl: the output .* is also an input/, 2);
    }
    const w = write('w.safetensors', 'not used');
    expectClearError(await cli(['compile', net, '--weights', w, '-o', w]), /is also an input/, 2);
    const x = write('x.npy', 'not used');
    expectClearError(await cli(['run', net, '--input', x, '-o', x]), /is also an input/, 2);
    expect(fs.readFileSync(net, 'utf8')).toBe(NET);
    expect(fs.readFileSync(w, 'utf8')).toBe('not used');
    fs.rmSync(link);
  });

  it('a folder is refused', async () => {
    expectClearError(await cli(['compile', net, '-o', dir]), /is a folder/, 2);
  });

  it('an existing output is left as it was when compile fails with diagnostics', async () => {
    const bad = write('bad.resdsl', NET.replace('conv3(4); bn', 'conv3(4, strid = 2); bn'));
    const out = write('kept.onnx', 'the previous model');
    for (const extra of [[], ['--emit', 'ir'], ['--external-data']]) {
      const o = await cli(['compile', bad, '-o', out, ...extra]);
      expect(o.code, describeOutcome(o)).toBe(1);
      expect(o.err).toContain('error[E0104]');
      expect(fs.readFileSync(out, 'utf8')).toBe('the previous model');
    }
    expect(fs.existsSync(`${out}.data`)).toBe(false);
  });

  it('a write that cannot happen is one line, exit 1, and leaves nothing', async () => {
    const file = write('plain.txt', 'a file, not a folder');
    for (const target of [path.join(dir, 'no', 'such', 'folder'), file]) {
      for (const argv of [
        ['compile', net, '-o', path.join(target, 'm.onnx')],
        ['compile', net, '--external-data', '-o', path.join(target, 'm.onnx')],
        ['compile', net, '--emit', 'ir', '-o', path.join(target, 'm.ir')],
        ['run', net, '-o', path.join(target, 'y.npy')],
      ]) {
        const o = await cli(argv);
        expectClearError(o, /^resdsl: cannot write /);
        expect(o.err.trim().split('\n')).toHaveLength(1);
      }
    }
    expect(fs.existsSync(path.join(dir, 'no'))).toBe(false);
  });

  it('when the external data cannot be put in place, the model is not replaced either', async () => {
    const out = write('ext/model.onnx', 'the previous model');
    fs.mkdirSync(`${out}.data`); // the data file's place is taken by a folder
    const o = await cli(['compile', net, '--external-data', '-o', out]);
    expectClearError(o, /^resdsl: cannot write /);
    expect(fs.readFileSync(out, 'utf8')).toBe('the previous model');
    expect(leftovers(path.dirname(out), ['model.onnx', 'model.onnx.data'])).toEqual([]);
  });

  it.runIf(process.getuid?.() !== 0)('in a read-only folder: one line, exit 1, the existing output kept', async () => {
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro);
    const out = write('ro/model.onnx', 'the previous model');
    fs.chmodSync(ro, 0o555);
    try {
      const o = await cli(['compile', net, '-o', out]);
      expectClearError(o, /^resdsl: cannot write /);
      expect(fs.readFileSync(out, 'utf8')).toBe('the previous model');
      expect(leftovers(ro, ['model.onnx'])).toEqual([]);
    } finally {
      fs.chmodSync(ro, 0o755);
    }
  });

  it('leaves no temporary files next to the outputs', () => {
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
