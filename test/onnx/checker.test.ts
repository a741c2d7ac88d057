/**
 * The ONNX checker (Python onnx, full check: strict shape inference too) on every test model,
 * inline and with external data. Skipped only when /usr/bin/python3 cannot import onnx; CI
 * installs python3-onnx.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../src/onnx/write.js';
import { allCases, convBnReluAdd, subsamplePad } from './models.js';

const PYTHON = '/usr/bin/python3';

const CHECK = `
import json, sys, onnx
out = {}
for p in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(p), full_check=True)
        out[p] = 'ok'
    except Exception as e:
        out[p] = type(e).__name__ + ': ' + str(e)
print(json.dumps(out))
`;

function maxOpset(): number | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import onnx; print(onnx.defs.onnx_opset_version())'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

const supported = maxOpset();
if (supported === undefined) console.warn(`skipping the ONNX checker tests: ${PYTHON} cannot import onnx (install python3-onnx)`);

describe.skipIf(supported === undefined)('onnx.checker.check_model(full_check=True)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'resdsl-checker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function check(paths: string[]): Record<string, string> {
    const r = spawnSync(PYTHON, ['-c', CHECK, ...paths], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Record<string, string>;
  }

  it('accepts every test model, at every opset from 13 to the newest the checker knows', () => {
    const models = allCases().map((c) => ({ name: c.name, model: c.model }));
    for (let opset = 13; opset <= Math.min(18, supported!); opset++) {
      models.push({ name: `conv opset ${opset}`, model: convBnReluAdd(opset).model });
      models.push({ name: `pad opset ${opset}`, model: subsamplePad(opset).model });
    }
    const paths = models.map((m, i) => {
      const p = join(dir, `m${i}.onnx`);
      writeFileSync(p, encodeModel(m.model).model);
      return p;
    });
    const result = check(paths);
    expect(Object.values(result)).toEqual(paths.map(() => 'ok'));
  });

  it('accepts a model whose initializers are external data', () => {
    const enc = encodeModel(convBnReluAdd(17, 8).model, { externalData: { location: 'ext.onnx.data' } });
    expect(enc.externalData!.length).toBe(2304);
    writeFileSync(join(dir, 'ext.onnx'), enc.model);
    writeFileSync(join(dir, 'ext.onnx.data'), enc.externalData!);
    expect(check([join(dir, 'ext.onnx')])).toEqual({ [join(dir, 'ext.onnx')]: 'ok' });
  });

  it('rejects a model that is wrong (the check can fail)', () => {
    const bad = convBnReluAdd().model;
    bad.valueInfo[0]!.shape = ['N', 5, 6, 6]; // conv output has 4 channels
    const p = join(dir, 'bad.onnx');
    writeFileSync(p, encodeModel(bad).model);
    expect(check([p])[p]).toMatch(/Inferred shape and existing shape differ|4.*5|5.*4/);
  });
});
