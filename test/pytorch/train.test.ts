/**
 * Training the emitted CIFAR ResNet-20 (`resdsl compile --emit pytorch`) with
 * examples/train/train.py, and deploying it: the script runs a few SGD steps on one fixed random
 * batch (FakeData of 32 images, a batch of 32), in one process and as two
 * DistributedDataParallel processes on CPU (gloo), started here with the
 * env:// variables (Debian's torch 1.13 torchrun crashes under Python 3.11 before starting its
 * workers); in both the loss goes down. Each saved state_dict, compiled with `--weights` (fused),
 * gives ONNX whose onnxruntime output equals the trained module's eval() output within 1e-4 x
 * max(1, scale).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compileFile } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';
import { ortRun } from '../compile/helpers.js';
import { describeWithTorch, npy, python, relativeError } from '../helpers/torch-fixtures.js';
import { runDriver } from './helpers.js';

const repo = new URL('../..', import.meta.url).pathname;
const script = path.join(repo, 'examples/train/train.py');
const spec = 'examples/cifar_resnet20.resdsl';

/** The losses a run of train.py printed, in order. */
const losses = (out: string) => [...out.matchAll(/^step \d+ loss ([\d.]+)$/gm)].map((m) => Number(m[1]));

/** A TCP port free right now, for the processes' rendezvous. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** One process of train.py with the environment given; its exit code and output. */
function runProcess(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(python, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => resolve({ code, out }));
  });
}

describeWithTorch('training the emitted CIFAR ResNet-20', () => {
  let dir = '';
  const common = () => ['--model', path.join(dir, 'model.py'), '--batch-size', '32', '--lr', '0.05', '--threads', '1'];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-pytorch-train-'));
    // the command the walkthrough gives
    const r = spawnSync(process.execPath, [path.join(repo, 'bin/resdsl.js'), 'compile', spec, '--emit', 'pytorch', '-o', path.join(dir, 'model.py')], { cwd: repo, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The trained module's eval() output against onnxruntime's for `compile --weights`. */
  async function roundTrip(weights: string, name: string): Promise<void> {
    const job = path.join(dir, name);
    fs.mkdirSync(job);
    runDriver([{ module: path.join(dir, 'model.py'), cls: 'CifarResnet20', dir: job, tasks: ['evaluate'], weights, seed: 5, input: [4, 3, 32, 32] }], job);
    const c = compileFile(spec, { weights });
    if (!c.ok) throw new Error(c.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
    const y = await ortRun(encodeModel(c.model).model, npy(path.join(job, 'input.npy')), 1);
    expect(relativeError(y, npy(path.join(job, 'output.npy')))).toBeLessThan(1e-4);
  }

  it('in one process: the loss goes down, and compile --weights reproduces the trained module', async () => {
    const weights = path.join(dir, 'single.safetensors');
    const r = spawnSync(python, [script, ...common(), '--fake-size', '32', '--steps', '8', '--out', weights], { encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const l = losses(r.stdout);
    expect(l).toHaveLength(8);
    expect(l[7]!).toBeLessThan(0.7 * l[0]!);
    await roundTrip(weights, 'single');
  });

  it('as two DistributedDataParallel processes (gloo): the loss goes down, and compile --weights reproduces the trained module', async () => {
    const weights = path.join(dir, 'ddp.safetensors');
    const port = String(await freePort());
    const args = [...common(), '--fake-size', '64', '--steps', '6', '--out', weights];
    const env = (rank: number) => ({ RANK: String(rank), LOCAL_RANK: String(rank), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: port });
    const [first, second] = await Promise.all([runProcess(args, env(0)), runProcess(args, env(1))]);
    expect(first.code, first.out).toBe(0);
    expect(second.code, second.out).toBe(0);
    // the first process prints the mean loss of both processes' batches; the second prints nothing
    const l = losses(first.out);
    expect(l).toHaveLength(6);
    expect(l[5]!).toBeLessThan(0.8 * l[0]!);
    expect(losses(second.out)).toEqual([]);
    await roundTrip(weights, 'ddp');
  });
});
