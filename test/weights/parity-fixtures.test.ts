/**
 * The parity fixtures' weight files (PyTorch state_dicts saved as safetensors): their exact names
 * and shapes, which the lowering must match.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/io/safetensors.js';

const PARITY = new URL('../fixtures/reference/parity', import.meta.url).pathname;

function load(name: string) {
  const file = `${PARITY}/${name}/weights.safetensors`;
  const r = readSafetensors(readFileSync(file), file);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const bn = (prefix: string, c: number): [string, number[]][] =>
  ['bias', 'running_mean', 'running_var', 'weight'].map((k) => [`${prefix}.${k}`, [c]]);

/** ResNet-20 (option A): conv1, bn1, layer{1,2,3}.{0,1,2}.{conv1,bn1,conv2,bn2}, fc. */
function resnet20Shapes(): [string, number[]][] {
  const out: [string, number[]][] = [['conv1.weight', [16, 3, 3, 3]], ...bn('bn1', 16), ['fc.weight', [10, 64]], ['fc.bias', [10]]];
  const widths = [16, 32, 64];
  widths.forEach((c, s) => {
    for (let b = 0; b < 3; b++) {
      const p = `layer${s + 1}.${b}`;
      const cin = b === 0 && s > 0 ? widths[s - 1]! : c;
      out.push([`${p}.conv1.weight`, [c, cin, 3, 3]], [`${p}.conv2.weight`, [c, c, 3, 3]], ...bn(`${p}.bn1`, c), ...bn(`${p}.bn2`, c));
    }
  });
  return out;
}

const byName = (a: [string, number[]], b: [string, number[]]) => (a[0] < b[0] ? -1 : 1);

describe('parity fixtures', () => {
  it('cifar_resnet20 holds exactly the tensors of ResNet-20, 269,722 parameters plus batch-norm buffers', () => {
    const w = load('cifar_resnet20');
    const found = [...w].map(([n, t]): [string, number[]] => [n, t.shape]).sort(byName);
    expect(found).toEqual(resnet20Shapes().sort(byName));
    expect(found.length).toBe(97);
    expect([...w.values()].every((t) => t.dtype === 'F32')).toBe(true);
    const params = [...w].filter(([n]) => !n.includes('running_')).reduce((s, [, t]) => s + t.data.length, 0);
    expect(params).toBe(269_722); // reference/zoo-numbers.tsv
    expect([...w.get('layer1.0.bn1.running_var')!.data].every((v) => v > 0)).toBe(true);
  });

  it('seed_resblk_64_256 holds conv1, bn1, conv2, bn2 and the extra.0 / extra.1 shortcut', () => {
    const w = load('seed_resblk_64_256');
    const found = [...w].map(([n, t]): [string, number[]] => [n, t.shape]).sort(byName);
    const expected: [string, number[]][] = [
      ['conv1.weight', [256, 64, 3, 3]], ['conv1.bias', [256]], ...bn('bn1', 256),
      ['conv2.weight', [256, 256, 3, 3]], ['conv2.bias', [256]], ...bn('bn2', 256),
      ['extra.0.weight', [256, 64, 1, 1]], ['extra.0.bias', [256]], ...bn('extra.1', 256),
    ];
    expect(found).toEqual(expected.sort(byName));
  });
});
