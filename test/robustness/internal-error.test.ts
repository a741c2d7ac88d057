/**
 * An internal error (a compiler bug) is one line on stderr that says so and names the input, with
 * exit code 70; the stack trace only with --debug; and a failed compile writes nothing. Provoked
 * by making internal functions throw (elaboration, the pass pipeline, running a model).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cli, tempDir, writeNet } from './helpers.js';

const boom = vi.hoisted(() => ({ in: '' as '' | 'elaborate' | 'pipeline' | 'run', what: new Error('boom') as unknown }));

vi.mock('../../src/ir/elaborate/index.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/ir/elaborate/index.js')>();
  return {
    ...orig,
    elaborateProgram: (...a: Parameters<typeof orig.elaborateProgram>) => {
      if (boom.in === 'elaborate') throw boom.what;
      return orig.elaborateProgram(...a);
    },
  };
});
vi.mock('../../src/passes/fuse-conv-bn.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/passes/fuse-conv-bn.js')>();
  return {
    ...orig,
    fusePass: {
      ...orig.fusePass,
      run: (...a: Parameters<typeof orig.fusePass.run>) => {
        if (boom.in === 'pipeline') throw boom.what;
        return orig.fusePass.run(...a);
      },
    },
  };
});
vi.mock('../../src/runtime/run-model.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/runtime/run-model.js')>();
  return {
    ...orig,
    runModel: async (...a: Parameters<typeof orig.runModel>) => {
      if (boom.in === 'run') throw boom.what;
      return orig.runModel(...a);
    },
  };
});

const dir = tempDir('internal');
const net = writeNet(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  boom.in = '';
  boom.what = new Error('boom');
});

const oneLine = (input: string, message: string) =>
  new RegExp(`^resdsl: internal error \\(a compiler bug\\) while processing ${input.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${message}\n$`);

describe('an internal error', () => {
  it('in check, summary and compile: one line naming the input, exit 70, no stack trace', async () => {
    boom.in = 'elaborate';
    boom.what = new TypeError("Cannot read properties of undefined (reading 'shape')\n    at elaborate (elaborate.ts:1:1)");
    for (const argv of [['check', net], ['summary', net], ['compile', net, '-o', path.join(dir, 'm.onnx')], ['run', net]]) {
      const o = await cli(argv);
      expect(o.code).toBe(70);
      expect(o.err).toMatch(oneLine(net, "Cannot read properties of undefined \\(reading 'shape'\\)"));
      expect(o.out).toBe('');
    }
  });

  it('names the folder when check was given one', async () => {
    boom.in = 'elaborate';
    const o = await cli(['check', '--format', 'json', dir]);
    expect(o.code).toBe(70);
    expect(o.err).toMatch(oneLine(dir, 'boom'));
  });

  it('shows the stack trace with --debug, after the same line', async () => {
    boom.in = 'elaborate';
    const o = await cli(['check', net, '--debug']);
    expect(o.code).toBe(70);
    const [first, ...rest] = o.err.split('\n');
    expect(`${first}\n`).toMatch(oneLine(net, 'boom'));
    expect(rest.join('\n')).toMatch(/^Error: boom\n {4}at /);
  });

  it('of a value that is not an Error, with several lines, is still one line', async () => {
    boom.in = 'elaborate';
    boom.what = 'first line\nsecond line';
    const o = await cli(['check', net, '--debug']);
    expect(o.code).toBe(70);
    expect(o.err).toMatch(oneLine(net, 'first line'));
  });

  it('in the passes: compile writes nothing and keeps an existing output', async () => {
    boom.in = 'pipeline';
    const out = path.join(dir, 'kept.onnx');
    fs.writeFileSync(out, 'the previous model');
    const fresh = path.join(dir, 'fresh.onnx');
    for (const o of [await cli(['compile', net, '-o', out]), await cli(['compile', net, '-o', fresh])]) {
      expect(o.code).toBe(70);
      expect(o.err).toMatch(oneLine(net, 'boom'));
    }
    expect(fs.readFileSync(out, 'utf8')).toBe('the previous model');
    expect(fs.existsSync(fresh)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('while running: one line, exit 70, no output file', async () => {
    boom.in = 'run';
    boom.what = new RangeError('Invalid typed array length: -1');
    const y = path.join(dir, 'y.npy');
    const o = await cli(['run', net, '-o', y]);
    expect(o.code).toBe(70);
    expect(o.err).toMatch(oneLine(net, 'Invalid typed array length: -1'));
    expect(fs.existsSync(y)).toBe(false);
  });

  it('is not what a user error gives: the same commands exit 0 without the fault', async () => {
    expect((await cli(['check', net])).code).toBe(0);
    expect((await cli(['run', net])).code).toBe(0);
  });
});
