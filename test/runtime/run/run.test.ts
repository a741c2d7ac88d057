/** `resdsl run`: the JS executor against the PyTorch fixtures and onnxruntime-node, on .resdsl and .onnx files. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { compileFile as compileNetwork } from '../../../src/node/compile.js';
import { dispose } from '../../../src/runtime/js/index.js';
import { writeNpy } from '../../../src/io/npy.js';
import { encodeModel } from '../../../src/onnx/write.js';
import { runModel } from '../../../src/runtime/run-model.js';
import { nodeExecutorOptions } from '../../../src/node/executor-host.js';
import { maxAbsDiff, npy, parityDir } from '../../compile/helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-run-'));
afterAll(async () => {
  await dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  return { code, out, err };
}

describe('parity with PyTorch from the .resdsl source', () => {
  for (const [fixture, file, network] of [
    ['cifar_resnet20', 'examples/cifar_resnet20.resdsl', undefined],
    ['seed_resblk_64_256', 'examples/seed.resdsl', 'ResBlk'],
  ] as const) {
    for (const fuse of [true, false]) {
      it(`${fixture} (${fuse ? 'fused' : 'unfused'}) within 1e-4, written to .npy`, async () => {
        const dir = path.join(parityDir, fixture);
        const out = path.join(tmp, `${fixture}-${fuse}.npy`);
        const r = await cli('run', file, ...(network ? ['-n', network] : []), '--weights', path.join(dir, 'weights.safetensors'), '--input', path.join(dir, 'input.npy'), '-o', out, ...(fuse ? [] : ['--no-fuse']));
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        expect(maxAbsDiff(npy(out), npy(path.join(dir, 'expected.npy')))).toBeLessThan(1e-4);
      });
    }
  }
});

describe('agreement with onnxruntime-node on randomly initialized networks', () => {
  for (const [model, threads] of [
    ['resnet18', 1],
    ['resnet50', 2],
  ] as const) {
    it(`${model}: logits within 1e-4 (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      const c = compileNetwork(`examples/${model}.resdsl`, { seed: 7 });
      if (!c.ok) throw new Error('compile failed');
      const x = { dims: [1, 3, 224, 224], data: new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i * 0.37)) };
      const js = await runModel(c.model, x, { runtime: 'js', threads, repeat: 0, executor: nodeExecutorOptions() });
      const ort = await runModel(c.model, x, { runtime: 'ort', threads, repeat: 0 });
      if (!js.ok || !ort.ok) throw new Error('run failed');
      expect(js.value.outputs[0]!.tensor.dims).toEqual([1, 1000]);
      expect(maxAbsDiff(js.value.outputs[0]!.tensor, ort.value.outputs[0]!.tensor)).toBeLessThan(1e-4);
    });
  }
});

describe('running files', () => {
  it('runs an .onnx file we wrote, in both runtimes, with the same summary', async () => {
    const c = compileNetwork('examples/cifar_resnet20.resdsl');
    if (!c.ok) throw new Error('compile failed');
    const file = path.join(tmp, 'c20.onnx');
    fs.writeFileSync(file, encodeModel(c.model).model);
    const js = JSON.parse((await cli('run', file, '--random', '--seed', '1', '--batch', '3', '--json')).out);
    const ort = JSON.parse((await cli('run', file, '--random', '--seed', '1', '--batch', '3', '--json', '--runtime', 'ort')).out);
    expect(js.outputs[0].shape).toEqual([3, 10]);
    expect(js.outputs[0].argmax).toEqual(ort.outputs[0].argmax);
    expect(Math.abs(js.outputs[0].mean - ort.outputs[0].mean)).toBeLessThan(1e-5);
  });

  it('--repeat reports the median time of one run, for either runtime', async () => {
    for (const runtime of ['js', 'ort']) {
      const j = JSON.parse((await cli('run', 'examples/cifar_resnet20.resdsl', '--repeat', '3', '--json', '--runtime', runtime)).out);
      expect(j.median_ms).toBeGreaterThan(0);
      expect(j.repeat).toBe(3);
    }
  });

  it('an input of the wrong shape is an error about the file naming both shapes', async () => {
    const bad = path.join(tmp, 'bad.npy');
    fs.writeFileSync(bad, writeNpy({ dims: [1, 3, 16, 16], data: new Float32Array(768) }));
    const r = await cli('run', 'examples/cifar_resnet20.resdsl', '--input', bad);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`error[E0704]: the array holds [1, 3, 16, 16], but input image is [N, 3, 32, 32]\n --> ${bad}`);
  });

  it('a truncated or foreign file given as a model is an error about the file', async () => {
    const junk = path.join(tmp, 'junk.onnx');
    fs.writeFileSync(junk, 'this is not a model');
    const r = await cli('run', junk);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^error\[E0801\]: /), ` --> ${junk}`]);
  });
});
