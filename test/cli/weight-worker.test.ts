/**
 * `resdsl compile` with the weight worker (src/node/seeded-weights.ts), run as a user runs it: the
 * built CLI (dist/, which `npm test` builds first). The model files are the same bytes with the
 * worker and without it (RESDSL_WEIGHT_WORKER=0), and the worker really made tensors
 * (RESDSL_WEIGHT_WORKER=stats says how many).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-weight-worker-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function compile(worker: '0' | 'stats', ...argv: string[]): { code: number | null; err: string } {
  const r = spawnSync(process.execPath, [path.resolve('bin/resdsl.js'), 'compile', ...argv], {
    encoding: 'utf8',
    env: { ...process.env, RESDSL_WEIGHT_WORKER: worker },
    timeout: 120_000,
  });
  return { code: r.status, err: r.stderr };
}

const madeByWorker = (err: string): { made: number; planned: number } => {
  const m = /weights: (\d+) of (\d+) planned tensors made by the worker thread/.exec(err);
  expect(m, err).not.toBeNull();
  return { made: Number(m![1]), planned: Number(m![2]) };
};

/** A network of many small blocks, like the benchmark's 10,000-block one. */
function blocks(n: number): string {
  const lines = ['block res(in,out)<conv3;bn;relu;conv3;bn> + shortcut', 'network gen {', '  input image: f32[N, 16, 8, 8]'];
  for (let i = 0; i < n; i++) lines.push(`  res(${i % 3 === 2 ? 32 : 16})`);
  return [...lines, '  gap; flatten; fc(10)', '}', ''].join('\n');
}

describe('compile with the weight worker', () => {
  it('writes the same bytes as one thread, the worker making tensors of ResNet-50', () => {
    const one = path.join(work, 'r50-one.onnx');
    const two = path.join(work, 'r50-two.onnx');
    expect(compile('0', 'examples/resnet50.resdsl', '-o', one).code).toBe(0);
    const r = compile('stats', 'examples/resnet50.resdsl', '-o', two);
    expect(r.code, r.err).toBe(0);
    const { made, planned } = madeByWorker(r.err);
    expect(planned).toBe(54); // every conv and the fc weight (the biases are small: made by the writer)
    expect(made).toBeGreaterThan(0);
    expect(fs.readFileSync(two).equals(fs.readFileSync(one))).toBe(true);
  });

  it('writes the same bytes for a network of many small blocks, with another seed, unfused, and with external data', () => {
    const spec = path.join(work, 'gen.resdsl');
    fs.writeFileSync(spec, blocks(300));
    for (const [name, extra] of [
      ['plain', []],
      ['seeded', ['--seed', '12345', '--no-fuse']],
      ['external', ['--external-data']],
    ] as const) {
      const one = path.join(work, `${name}-one`);
      const two = path.join(work, `${name}-two`);
      fs.mkdirSync(one);
      fs.mkdirSync(two);
      expect(compile('0', spec, ...extra, '-o', path.join(one, 'm.onnx')).code).toBe(0);
      const r = compile('stats', spec, ...extra, '-o', path.join(two, 'm.onnx'));
      expect(r.code, r.err).toBe(0);
      expect(madeByWorker(r.err).planned).toBe(600);
      const files = fs.readdirSync(one).sort();
      expect(fs.readdirSync(two).sort()).toEqual(files);
      expect(files.length).toBe(name === 'external' ? 2 : 1);
      for (const f of files) expect(fs.readFileSync(path.join(two, f)).equals(fs.readFileSync(path.join(one, f))), `${name}/${f}`).toBe(true);
    }
  });

  it('is not started for weights read from a file, nor with RESDSL_WEIGHT_WORKER=0', () => {
    const out = path.join(work, 'off.onnx');
    const fromFile = compile('stats', 'examples/cifar_resnet20.resdsl', '--weights', 'test/fixtures/reference/parity/cifar_resnet20/weights.safetensors', '-o', out);
    expect(fromFile.code, fromFile.err).toBe(0);
    expect(fromFile.err).not.toMatch(/weights: /);
    const off = compile('0', 'examples/cifar_resnet20.resdsl', '-o', out);
    expect(off.code).toBe(0);
    expect(off.err).not.toMatch(/weights: /);
  });
});
