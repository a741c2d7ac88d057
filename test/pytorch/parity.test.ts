/**
 * The emitted PyTorch module of every example network against our ONNX: built in PyTorch with
 * random weights (norm parameters and batch-norm statistics non-trivial, residual branches with
 * small gains so that the untrained deep networks are not chaotic: driver.py), its
 * state_dict saved as safetensors and given to `compile --weights --no-fuse` as it is; the ONNX
 * model's weights are the module's state_dict (names and shapes), and onnxruntime's output equals
 * the module's eval() output within 1e-4 x max(1, scale), on a batch of 2. Its parameter count is
 * `resdsl summary`'s, and for the networks written as torchvision builds them, its state_dict is
 * torchvision's, key for key and in torchvision's order (test/fixtures/reference/state-dicts;
 * but RegNet's, whose blocks torchvision builds projection first, in the spec's order).
 *
 * Covered: every network of examples/ (29: the ResNet zoo, the CIFAR ResNets, the seed's, the
 * variants and the modern families), through the module's whole forward. To keep the test near a
 * minute, the networks made for 224 x 224 (or larger) images run at 64 x 64 (their state_dicts
 * do not depend on the size; the emitted code for the original size is checked in emit.test.ts);
 * the CIFAR and seed networks run at their own sizes. torch.onnx.export of the emitted module is
 * run by `resdsl run` for six networks that between them use every op (an export takes seconds).
 * Not covered here: fused ONNX (fusion has its own tests), training (train.test.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphTotals } from '../../src/ir/stats.js';
import { compileFile } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';
import { ortRun } from '../compile/helpers.js';
import { describeWithTorch, npy, relativeError } from '../helpers/torch-fixtures.js';
import { emitTo, exampleNetworks, networkGraph, residualGains, runDriver, withInputSize, type DriverJob, type DriverReport, type ExampleNetwork } from './helpers.js';

const nets = exampleNetworks();
/** One network per family, between them every op: their torch.onnx.export runs in `resdsl run`. */
const exported = new Set(['cifar_resnet20', 'resnet50_d', 'mobilenet_v3_small', 'efficientnet_b0', 'regnet_y_400mf', 'convnext_tiny']);
const repo = new URL('../..', import.meta.url).pathname;

describeWithTorch('emitted PyTorch modules against our ONNX', () => {
  let work = '';
  const dirs = new Map<ExampleNetwork, { dir: string; text: string }>();
  let reports = new Map<string, DriverReport>();

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-pytorch-parity-'));
    const jobs = nets.map((net, i) => {
      const dir = path.join(work, `${i}-${net.network}`);
      fs.mkdirSync(dir);
      // images larger than 64 x 64 made 64 x 64
      const original = networkGraph(net);
      const big = (original.inputs[0]!.type.shape[2] as number) > 64;
      const text = big ? withInputSize(net, 64) : fs.readFileSync(path.join(repo, net.file), 'utf8');
      const { module, cls } = emitTo(dir, net, text);
      dirs.set(net, { dir, text });
      const g = big ? networkGraph(net, text) : original;
      const input = [2, ...g.inputs[0]!.type.shape.slice(1).map(Number)];
      const tasks: DriverJob['tasks'] = ['keys', 'parity', ...(exported.has(net.network) ? (['export'] as const) : [])];
      return { module, cls, dir, tasks, seed: 1000 + i, input, small: residualGains(g) };
    });
    reports = runDriver(jobs, work);
  }, 600_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  for (const net of nets) {
    it(`${net.network}: the ONNX weights are the module's state_dict, and onnxruntime gives its eval() output`, async () => {
      const { dir, text } = dirs.get(net)!;
      const report = reports.get(dir)!;
      const c = compileFile(net.file, { network: net.network, text, weights: path.join(dir, 'weights.safetensors'), fuse: false });
      if (!c.ok) throw new Error(c.diagnostics.map((d) => `${d.code} ${d.message} ${d.notes.join(' ')}`).join('; '));
      // the ONNX model's weights: its float32 initializers with a shape (an op's constants are scalars or int64)
      const weights = c.model.initializers.filter((t) => t.dataType === 'float32' && t.dims.length > 0).map((t) => [t.name, t.dims] as const);
      expect(new Map(weights)).toEqual(new Map(report.keys!));
      expect(report.params).toBe(graphTotals(networkGraph(net, text)).params);
      const reference = path.join(repo, 'test/fixtures/reference/state-dicts', `${net.network}.txt`);
      if (fs.existsSync(reference)) {
        const rows = fs.readFileSync(reference, 'utf8').split('\n').filter((l) => l && !l.startsWith('#') && !l.includes('num_batches_tracked'));
        const ours = report.keys!.map(([k, shape]) => `${k}\t[${shape.join(', ')}]`);
        // torchvision's RegNet block makes its projection before its branch f; ours follows the spec's order
        if (net.network.startsWith('regnet')) expect([...ours].sort()).toEqual([...rows].sort());
        else expect(ours).toEqual(rows);
      }
      const y = await ortRun(encodeModel(c.model).model, npy(path.join(dir, 'input.npy')), 1);
      expect(relativeError(y, npy(path.join(dir, 'output.npy')))).toBeLessThan(1e-4);
      if (exported.has(net.network)) {
        const out = path.join(dir, 'torch-y.npy');
        const r = spawnSync(process.execPath, [path.join(repo, 'bin/resdsl.js'), 'run', path.join(dir, 'torch.onnx'), '--input', path.join(dir, 'input.npy'), '-o', out], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(relativeError(npy(out), npy(path.join(dir, 'output.npy')))).toBeLessThan(1e-4);
      }
    });
  }
});
