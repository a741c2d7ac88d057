/**
 * PyTorch reference fixtures for tests (scripts/torch/make_fixtures.py, run with the system
 * interpreter that has python3-torch): the paths of a model's weights, input, expected output
 * and, for some models, torch's ONNX export. The fixtures live in a gitignored cache
 * (.cache/torch-fixtures, or $RESDSL_TORCH_FIXTURES), made before the tests start by the global
 * setup (test/setup/torch-fixtures.ts), else on first use; the script takes a per-model lock, so
 * parallel test workers asking for the same model make it once.
 *
 *   describeWithTorch('my test', () => { it('...', () => { const f = torchFixture('mobilenet_v2'); ... }); });
 *
 * Without torch, a describeWithTorch block is skipped with the reason, except in CI
 * (CI=true, set by .ci/run), where it fails with it. Call torchFixture inside tests or hooks, not
 * while tests are collected.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy } from '../../src/io/npy.js';
import type { Tensor } from '../../src/runtime/js/tensor.js';

/** The interpreter with torch: Debian's, not a pyenv one first on PATH (RESDSL_TORCH_PYTHON overrides). */
export const python = process.env['RESDSL_TORCH_PYTHON'] ?? '/usr/bin/python3';
const repo = new URL('../..', import.meta.url).pathname;
export const fixtureScript = join(repo, 'scripts/torch/make_fixtures.py');
export const fixtureRoot = process.env['RESDSL_TORCH_FIXTURES'] ?? join(repo, '.cache/torch-fixtures');

/** The models the script knows, with the models it also exports to ONNX. */
export const torchModels = [
  'resnet18', 'mobilenet_v2', 'mobilenet_v3_small', 'mobilenet_v3_large', 'mnasnet1_0', 'efficientnet_b0',
  'efficientnet_b3', 'efficientnet_v2_s', 'regnet_x_400mf', 'regnet_y_400mf', 'regnet_y_1_6gf', 'convnext_tiny',
] as const;
export const exportedModels: readonly string[] = ['resnet18', 'mobilenet_v2', 'efficientnet_b0', 'convnext_tiny'];

export interface TorchFixture {
  dir: string;
  weights: string;
  input: string;
  expected: string;
  /** torch.onnx.export of the model (opset 17, batch axis N), for the exported models only. */
  onnx?: string;
}

let availability: string | undefined | null = null;

/** Undefined when /usr/bin/python3 imports torch and torchvision, else why not. */
export function torchMissing(): string | undefined {
  if (availability !== null) return availability;
  const r = spawnSync(python, ['-c', 'import torch, torchvision, numpy'], { encoding: 'utf8', timeout: 120_000 });
  availability = r.status === 0 ? undefined
    : `${python} cannot import torch and torchvision (apt-get install python3-torch python3-torchvision): ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}`;
  return availability;
}

export function torchAvailable(): boolean {
  return torchMissing() === undefined;
}

function scriptSha(): string {
  return createHash('sha256').update(readFileSync(fixtureScript)).digest('hex');
}

function isFresh(dir: string, sha: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { script_sha256?: string; files?: Record<string, string> };
    return m.script_sha256 === sha && Object.keys(m.files ?? {}).every((f) => existsSync(join(dir, f)));
  } catch {
    return false;
  }
}

/** Whether the fixture of `model` is missing or was made by another version of the script. */
export function torchStale(model: (typeof torchModels)[number]): boolean {
  return !isFresh(join(fixtureRoot, model), scriptSha());
}

/** The fixture of `model`, made (or remade, when the script changed) if needed. */
export function torchFixture(model: (typeof torchModels)[number]): TorchFixture {
  const dir = join(fixtureRoot, model);
  if (torchStale(model)) {
    const why = torchMissing();
    if (why !== undefined) throw new Error(why);
    const r = spawnSync(python, [fixtureScript, '--out', fixtureRoot, model], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`make_fixtures.py ${model} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const f: TorchFixture = { dir, weights: join(dir, 'weights.safetensors'), input: join(dir, 'input.npy'), expected: join(dir, 'expected.npy') };
  if (exportedModels.includes(model)) f.onnx = join(dir, 'torch.onnx');
  return f;
}

/** describe() when torch is there; otherwise skipped with the reason, or failing in CI. */
export function describeWithTorch(title: string, body: () => void): void {
  const why = torchMissing();
  if (why === undefined) describe(title, body);
  else if (process.env['CI'] === 'true') describe(title, () => it('has PyTorch for its reference outputs', () => expect.fail(why)));
  else describe.skip(title, () => it.skip(why, () => {}));
}

/** A float32 .npy file as a Tensor. */
export function npy(path: string): Tensor {
  const r = readNpy(readFileSync(path));
  if (!r.ok) throw new Error(`${path}: ${r.error.message}`);
  return r.value;
}

/**
 * The project's measure of agreement with a reference: the largest |got - want| over
 * max(1, largest |want|); outputs agree when it is at most 1e-4. Shapes must be equal.
 */
export function relativeError(got: Tensor, want: Tensor): number {
  expect(got.dims).toEqual(want.dims);
  let scale = 1;
  for (const v of want.data) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const d = Math.abs(got.data[i]! - want.data[i]!);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst / scale;
}
