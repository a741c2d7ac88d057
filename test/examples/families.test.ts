/**
 * The residual CNN families beyond ResNet (zoo-modern.tsv: MobileNetV2/V3, MNASNet, EfficientNet,
 * RegNet, ConvNeXt): each example reproduces torchvision's parameter and MAC counts to the unit
 * at its input size, names every tensor as torchvision's state_dict does (shapes included), is a
 * few lines over its family's one definition in std/, and compiles to ONNX that fuses every
 * batch norm that follows a conv and that the ONNX checker accepts (full check, opset 17).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatType } from '../../src/ir/types.js';
import { checkFile, compileFile } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';
import { modern } from './zoo-modern.js';


const stateDicts = new URL('../fixtures/reference/state-dicts/', import.meta.url).pathname;
const family = new Map([
  ['mobilenet', ['mobilenet_v2', 'mobilenet_v3_large', 'mobilenet_v3_small']],
  ['mnasnet', ['mnasnet1_0']],
  ['efficientnet', ['efficientnet_b0', 'efficientnet_b3', 'efficientnet_v2_s']],
  ['regnet', ['regnet_x_400mf', 'regnet_y_400mf', 'regnet_y_1_6gf']],
  ['convnext', ['convnext_tiny']],
]);

/** torchvision's state_dict keys with shapes, num_batches_tracked left out (a loader ignores them). */
function torchvisionKeys(model: string): string[] {
  return fs
    .readFileSync(`${stateDicts}${model}.txt`, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.includes('num_batches_tracked'))
    .map((l) => l.replace(/ /g, ''))
    .sort();
}

describe('the modern families', () => {
  it('cover the eleven models of zoo-modern.tsv', () => {
    expect(modern.map((r) => r.model).sort()).toEqual([...family.values()].flat().sort());
  });

  for (const row of modern) {
    it(`${row.model}: ${row.params} params and ${row.macs} MACs at ${row.input}, torchvision's state_dict names`, () => {
      const file = `examples/${row.model}.resdsl`;
      const r = checkFile(file);
      expect(r.diagnostics).toEqual([]);
      expect(r.networks.map((n) => n.name)).toEqual([row.model]);
      const net = r.networks[0]!;
      expect(net.stats!.params).toBe(row.params);
      expect(net.stats!.macs).toBe(row.macs);
      expect(formatType(net.graph.inputs[0]!.type).replace(/ /g, '')).toBe(row.input);
      const src = fs.readFileSync(file, 'utf8').replace(/_(?=\d)/g, '');
      expect(src).toContain(`expect params == ${row.params}`);
      expect(src).toContain(`expect macs == ${row.macs}`);
      expect(src).toContain('expect output == f32[N, 1000]');
      const ours = [...net.graph.params.values()].map((p) => `${p.name}\t[${p.shape.join(',')}]`).sort();
      expect(ours).toEqual(torchvisionKeys(row.model));
    });
  }

  it('are each one definition of std/ with a few lines over it', () => {
    for (const [std, models] of family)
      for (const m of models) {
        const src = fs.readFileSync(`examples/${m}.resdsl`, 'utf8');
        expect(src).toContain(`use std/${std}`);
        expect(src.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length).toBeLessThanOrEqual(6);
        expect((src.match(/^network /gm) ?? []).length).toBe(1);
      }
  });
});

describe('their ONNX', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-families-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fuses every batch norm into the conv before it, and passes onnx.checker (full check, opset 17)', () => {
    const paths = modern.map((row) => {
      const c = compileFile(`examples/${row.model}.resdsl`, { seed: 1 });
      if (!c.ok) throw new Error(`${row.model}: ${c.diagnostics.map((d) => d.message).join('; ')}`);
      expect(c.model.opsetVersion).toBe(17);
      expect(c.model.nodes.filter((n) => n.opType === 'BatchNormalization').map((n) => n.name)).toEqual([]);
      const p = path.join(dir, `${row.model}.onnx`);
      fs.writeFileSync(p, encodeModel(c.model).model);
      return p;
    });
    const check = 'import json, sys, onnx\nout = {}\nfor p in sys.argv[1:]:\n    try:\n        onnx.checker.check_model(p, full_check=True); out[p] = "ok"\n    except Exception as e:\n        out[p] = str(e)[:300]\nprint(json.dumps(out))';
    const r = spawnSync('/usr/bin/python3', ['-c', check, ...paths], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0 && /No module named .?onnx/.test(r.stderr) && process.env['CI'] !== 'true') return; // no checker here (CI installs python3-onnx)
    expect(r.stderr).toBe('');
    expect(Object.values(JSON.parse(r.stdout) as Record<string, string>)).toEqual(paths.map(() => 'ok'));
  });
});
