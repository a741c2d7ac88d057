/**
 * Hostile files through the built binary (`node bin/resdsl.js`, as users run it): the same one
 * clear line on stderr and exit 1, nothing from onnxruntime's own logging, no crash of the process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFile as compileNetwork } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';
import { contractProblems, describeOutcome, viaBinary } from '../fuzz/harness.js';
import { rawSafetensors, tempDir, writeNet } from './helpers.js';

const dir = tempDir('binary');
const net = writeNet(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** One error: its line, and the file it is about when it has one. */
function expectOneLine(argv: string[], first: RegExp, lines = 1): void {
  const o = viaBinary(argv, 60_000);
  const why = describeOutcome(o);
  expect(o.code, why).toBe(1);
  expect(contractProblems(o, 60_000), why).toEqual([]);
  expect(o.err.trim().split('\n'), why).toHaveLength(lines);
  expect(o.err, why).toMatch(first);
}

describe('the binary on hostile files', () => {
  it('a model that fails inside onnxruntime: our line only, not onnxruntime\'s log', () => {
    const c = compileNetwork(net);
    if (!c.ok) throw new Error('the small network does not compile');
    c.model.inputs[0]!.shape = [1, 4, 8, 8]; // the conv weights want 3 channels
    const f = path.join(dir, 'channels.onnx');
    fs.writeFileSync(f, encodeModel(c.model).model);
    expectOneLine(['run', f, '--runtime', 'ort'], /^error\[E0804\]: onnxruntime failed: .*\n --> .*channels\.onnx/, 2);
    expectOneLine(['run', f, '--runtime', 'js'], /^error\[E0704\]: .*\n --> .*channels\.onnx/, 2);
  });

  it('a safetensors header length of 2^60 and a truncated model', () => {
    const w = path.join(dir, 'huge.safetensors');
    fs.writeFileSync(w, rawSafetensors({}, 8, 2n ** 60n));
    expectOneLine(['compile', net, '--weights', w, '-o', path.join(dir, 'm.onnx')], /^error\[E0701\]: .*over the limit.*\n --> .*huge\.safetensors/, 2);
    expectOneLine(['run', net, '--weights', w], /^error\[E0701\]: .*\n --> .*huge\.safetensors/, 2);
    const m = path.join(dir, 'cut.onnx');
    fs.writeFileSync(m, new Uint8Array([0x08, 0x07, 0x12, 0xff, 0x01]));
    expectOneLine(['run', m], /^error\[E0801\]: .*\n --> .*cut\.onnx/, 2);
    expect(fs.existsSync(path.join(dir, 'm.onnx'))).toBe(false);
  });
});
