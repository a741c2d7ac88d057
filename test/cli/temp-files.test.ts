/**
 * The commands leave nothing in the temporary folder: the built binary runs check, summary,
 * compile (inline, external data, IR), run (JS executor and onnxruntime, whose telemetry would
 * write `.ses` and `mat-debug-PID.log` there) and failing writes with TMPDIR pointed at a fresh
 * folder, which must be empty afterwards. Outputs go to a folder of their own, which must hold
 * exactly the outputs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-temp-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const tmp = path.join(work, 'tmp');
const out = path.join(work, 'out');
fs.mkdirSync(tmp);
fs.mkdirSync(out);

/** The user's environment, with the temporary folder moved and onnxruntime's telemetry left as a user gets it. */
const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
delete env.ORT_DISABLE_TELEMETRY;

function resdsl(...argv: string[]): { code: number | null; err: string } {
  const r = spawnSync(process.execPath, [path.resolve('bin/resdsl.js'), ...argv], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, err: r.stderr };
}

describe('temporary files', () => {
  it('none are left by check, summary, compile, run and failing writes', () => {
    const bad = path.join(work, 'bad.resdsl');
    fs.writeFileSync(bad, 'network t {\n  input image: f32[N, 3, 8, 8]\n  conv3(4, strid = 2)\n}\n');
    const net = 'examples/cifar_resnet20.resdsl';
    const runs: [string[], number][] = [
      [['check', 'examples/resnet18.resdsl', bad], 1],
      [['summary', net], 0],
      [['compile', net, '-o', path.join(out, 'm.onnx')], 0],
      [['compile', net, '--external-data', '-o', path.join(out, 'e.onnx')], 0],
      [['compile', net, '--emit', 'ir', '-o', path.join(out, 'm.ir')], 0],
      [['compile', bad, '-o', path.join(out, 'never.onnx')], 1],
      [['compile', net, '-o', path.join(work, 'no', 'such', 'm.onnx')], 1],
      [['run', net, '-o', path.join(out, 'y.npy')], 0],
      [['run', net, '--runtime', 'ort'], 0],
      [['run', path.join(out, 'e.onnx'), '--runtime', 'ort', '--input', path.join(out, 'missing.npy')], 1],
      [['run', path.join(out, 'm.onnx'), '-o', path.join(work, 'no', 'y.npy')], 1],
    ];
    for (const [argv, code] of runs) expect(resdsl(...argv).code, `resdsl ${argv.join(' ')}`).toBe(code);
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(fs.readdirSync(out).sort()).toEqual(['e.onnx', 'e.onnx.data', 'm.ir', 'm.onnx', 'y.npy']);
  });
});
