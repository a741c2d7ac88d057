/** `resdsl compile`: valid, deterministic ONNX that onnxruntime runs, the parity fixtures reproduced, strict weight loading, atomic output. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { compileFile as compileNetwork } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';
import { writeSafetensors } from '../../src/io/safetensors.js';
import { maxAbsDiff, npy, ortRun, parityDir } from './helpers.js';
import { tensorValues } from '../../src/ir/tensor-values.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-compile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  return { code, out, err };
}

function compiled(file: string, opts: Parameters<typeof compileNetwork>[1] = {}) {
  const r = compileNetwork(file, opts);
  if (!r.ok) throw new Error(`compile failed: ${r.message ?? r.diagnostics.map((d) => d.message).join('; ')}`);
  return r;
}

describe('parity with PyTorch (onnxruntime-node running our ONNX)', () => {
  for (const fuse of [true, false]) {
    it(`cifar_resnet20 with the fixture's weights, ${fuse ? 'fused' : 'unfused'}, within 1e-4`, async () => {
      const dir = path.join(parityDir, 'cifar_resnet20');
      const r = compiled('examples/cifar_resnet20.resdsl', { weights: path.join(dir, 'weights.safetensors'), fuse });
      expect(r.model.nodes.some((n) => n.opType === 'BatchNormalization')).toBe(!fuse);
      const y = await ortRun(encodeModel(r.model).model, npy(path.join(dir, 'input.npy')));
      expect(maxAbsDiff(y, npy(path.join(dir, 'expected.npy')))).toBeLessThan(1e-4);
    });

    it(`the seed ResBlk(64, 256) with the fixture's weights, ${fuse ? 'fused' : 'unfused'}, within 1e-4`, async () => {
      const dir = path.join(parityDir, 'seed_resblk_64_256');
      const r = compiled('examples/seed.resdsl', { network: 'ResBlk', weights: path.join(dir, 'weights.safetensors'), fuse });
      const y = await ortRun(encodeModel(r.model).model, npy(path.join(dir, 'input.npy')));
      expect(maxAbsDiff(y, npy(path.join(dir, 'expected.npy')))).toBeLessThan(1e-4);
    });
  }
});

describe('the model written', () => {
  const r50 = compiled('examples/resnet50.resdsl');

  it('has only the ops needed: no Identity, no BatchNormalization after fusion', () => {
    const ops = new Set(r50.model.nodes.map((n) => n.opType));
    expect([...ops].sort()).toEqual(['Add', 'Conv', 'Flatten', 'Gemm', 'GlobalAveragePool', 'MaxPool', 'Relu']);
    expect(r50.model.nodes.filter((n) => n.opType === 'Conv')).toHaveLength(53);
  });

  it('names nodes by DSL path, with the source location in doc_string, and DSL names on inputs and outputs', () => {
    const conv = r50.model.nodes.find((n) => n.name === 'layer2.0.conv1')!;
    expect(conv.docString).toMatch(/^std\/resnet\.resdsl:\d+:\d+$/);
    expect(r50.model.inputs).toEqual([{ name: 'image', elemType: 'float32', shape: ['N', 3, 224, 224] }]);
    expect(r50.model.outputs).toEqual([{ name: 'logits', elemType: 'float32', shape: ['N', 1000] }]);
    expect(r50.model.valueInfo.find((v) => v.name === 'layer2.0.conv1')!.shape).toEqual(['N', 128, 56, 56]);
    expect(Object.keys(r50.model.metadata)).toEqual(expect.arrayContaining(['resdsl.version', 'resdsl.source_sha256']));
    expect(r50.model.opsetVersion).toBe(17);
    expect(r50.model.irVersion).toBe(8);
  });

  it('is byte-for-byte the same across compiles', async () => {
    const a = path.join(tmp, 'a.onnx');
    const b = path.join(tmp, 'b.onnx');
    expect((await cli('compile', 'examples/resnet18.resdsl', '-o', a, '--seed', '3')).code).toBe(0);
    expect((await cli('compile', 'examples/resnet18.resdsl', '-o', b, '--seed', '3')).code).toBe(0);
    expect(Buffer.compare(fs.readFileSync(a), fs.readFileSync(b))).toBe(0);
    const c = path.join(tmp, 'c.onnx');
    await cli('compile', 'examples/resnet18.resdsl', '-o', c, '--seed', '4');
    expect(Buffer.compare(fs.readFileSync(a), fs.readFileSync(c))).not.toBe(0);
  });

  it('passes the ONNX checker with full_check (python3-onnx), fused and unfused, at every supported opset', async () => {
    const files: string[] = [];
    for (const [args, name] of [
      [[], 'fused.onnx'],
      [['--no-fuse'], 'unfused.onnx'],
      [['--opset', '13'], 'op13.onnx'],
      [['--shortcut', 'A'], 'optA.onnx'],
    ] as const) {
      const out = path.join(tmp, name);
      expect((await cli('compile', 'examples/cifar_resnet20.resdsl', '-o', out, ...args)).code).toBe(0);
      files.push(out);
    }
    const py = spawnSync('/usr/bin/python3', ['-c', 'import onnx,sys\nfor f in sys.argv[1:]: onnx.checker.check_model(onnx.load(f), full_check=True)\nprint("ok")', ...files], { encoding: 'utf8' });
    if (py.error || /No module named/.test(py.stderr)) {
      if (process.env.CI) throw new Error(`the ONNX checker is not installed: ${py.stderr}`);
      console.warn('skipped: /usr/bin/python3 cannot import onnx (CI installs python3-onnx)');
      return;
    }
    expect(py.stderr).toBe('');
    expect(py.stdout.trim()).toBe('ok');
  });

  it('loads in onnxruntime-node for every example network, and gives the declared output shape', async () => {
    for (const [file, network, input] of [
      ['examples/resnet18.resdsl', undefined, [1, 3, 224, 224]],
      ['examples/resnext50_32x4d.resdsl', undefined, [1, 3, 224, 224]],
      ['examples/cifar_resnet56.resdsl', undefined, [2, 3, 32, 32]],
      ['examples/seed.resdsl', 'seed_net', [1, 3, 32, 32]],
      ['examples/variants.resdsl', 'preact_resnet18', [1, 3, 224, 224]],
      ['examples/variants.resdsl', 'resnet50_d', [1, 3, 224, 224]],
    ] as const) {
      const r = compiled(file, network ? { network } : {});
      const x = { dims: [...input], data: new Float32Array(input.reduce((a, b) => a * b)).map((_, i) => Math.sin(i)) };
      const y = await ortRun(encodeModel(r.model).model, x);
      expect(y.dims).toEqual([input[0], r.model.outputs[0]!.shape[1]]);
      expect(y.data.every(Number.isFinite)).toBe(true);
    }
  });

  it('with --external-data stores the weights beside the model, and onnxruntime-node loads it', async () => {
    const out = path.join(tmp, 'ext.onnx');
    expect((await cli('compile', 'examples/cifar_resnet20.resdsl', '-o', out, '--external-data')).code).toBe(0);
    expect(fs.existsSync(`${out}.data`)).toBe(true);
    expect(fs.statSync(out).size).toBeLessThan(100_000);
    const inline = compiled('examples/cifar_resnet20.resdsl');
    const x = { dims: [1, 3, 32, 32], data: new Float32Array(3072).fill(0.5) };
    expect(maxAbsDiff(await ortRun(out, x), await ortRun(encodeModel(inline.model).model, x))).toBe(0);
  });
});

describe('weights from PyTorch', () => {
  const fixture = path.join(parityDir, 'cifar_resnet20', 'weights.safetensors');

  it('a state_dict of the wrong network lists missing, unexpected and mismatched names, and writes nothing', async () => {
    const out = path.join(tmp, 'wrong.onnx');
    const r = await cli('compile', 'examples/cifar_resnet32.resdsl', '-o', out, '--weights', fixture);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0702]');
    expect(r.err).toContain('missing from the file (');
    expect(r.err).toContain('layer1.3.conv1.weight');
    expect(fs.existsSync(out)).toBe(false);
    const s = await cli('compile', 'examples/seed.resdsl', '-n', 'ResBlk', '-o', out, '--weights', fixture);
    expect(s.err).toContain('in the file but not in the network (');
    expect(s.err).toContain('shapes differ (');
  });

  it('num_batches_tracked entries are ignored', () => {
    const withCounts = path.join(tmp, 'counts.safetensors');
    const net = compiled('examples/seed.resdsl', { network: 'ResBlk', fuse: false });
    const tensors = new Map([...net.graph.params].map(([k, p]) => [k, { shape: p.shape, data: tensorValues(p)! }]));
    tensors.set('bn1.num_batches_tracked', { shape: [], data: new Float32Array(1) });
    fs.writeFileSync(withCounts, writeSafetensors(tensors));
    expect(compileNetwork('examples/seed.resdsl', { network: 'ResBlk', weights: withCounts, fuse: false }).ok).toBe(true);
  });

  it('a truncated or garbage file is one clear error about that file', async () => {
    const bad = path.join(tmp, 'bad.safetensors');
    fs.writeFileSync(bad, fs.readFileSync(fixture).subarray(0, 1000));
    const r = await cli('compile', 'examples/cifar_resnet20.resdsl', '-o', path.join(tmp, 'x.onnx'), '--weights', bad);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(2);
    expect(r.err).toMatch(/^error\[E0701\]: .*\n --> .*bad\.safetensors\n$/);
  });
});

describe('output safety', () => {
  it('a failing compile leaves an existing output untouched', async () => {
    const out = path.join(tmp, 'keep.onnx');
    fs.writeFileSync(out, 'previous model');
    const broken = path.join(tmp, 'broken.resdsl');
    fs.writeFileSync(broken, 'network t {\n  input image: f32[N, 3, 8, 8]\n  conv3(4, groups = 3)\n}\n');
    const r = await cli('compile', broken, '-o', out);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous model');
    expect(fs.readdirSync(tmp).filter((f) => f.includes('keep.onnx') && f !== 'keep.onnx')).toEqual([]);
  });

  it('refuses to overwrite the input', async () => {
    const src = path.join(tmp, 'self.resdsl');
    fs.copyFileSync('examples/cifar_resnet20.resdsl', src);
    const r = await cli('compile', src, '-o', src);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(src, 'utf8')).toBe(fs.readFileSync('examples/cifar_resnet20.resdsl', 'utf8'));
  });
});
