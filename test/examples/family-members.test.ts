/**
 * Every family in std/ builds its other torchvision members by its rule, not only the examples:
 * EfficientNet B0 to B7, MobileNetV2 at widths 0.5 to 1.4, MobileNetV3 at width 0.75, MNASNet at
 * every alpha, all fourteen RegNets, ConvNeXt T/S/B/L. For each, the network expression over std/
 * (test/fixtures/reference/family-members.tsv, made from torchvision 0.14 by
 * scripts/torch/family_members.py) must give torchvision's parameter count, its MACs (conv and
 * linear) at the model's input size, and its state_dict names and shapes exactly (compared by the
 * sha256 of the sorted "name<TAB>[shape]" lines).
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/node/compile.js';
import { sha256Hex } from '../../src/util/sha256.js';

interface Member {
  model: string;
  std: string;
  network: string;
  size: number;
  params: number;
  macs: number;
  sha: string;
}

const table = new URL('../fixtures/reference/family-members.tsv', import.meta.url);
const members: Member[] = fs
  .readFileSync(table, 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('model\t'))
  .map((l) => {
    const [model, std, network, size, params, macs, sha] = l.split('\t') as [string, string, string, string, string, string, string];
    return { model, std, network, size: Number(size), params: Number(params), macs: Number(macs), sha };
  });

describe('the members of each std family', () => {
  it('are the 38 of the table', () => {
    expect(members).toHaveLength(38);
    expect(new Set(members.map((m) => m.std))).toEqual(new Set(['efficientnet', 'mobilenet', 'mnasnet', 'regnet', 'convnext']));
  });

  for (const m of members) {
    it(`${m.model} = ${m.network}: ${m.params} params, ${m.macs} MACs at ${m.size}x${m.size}, torchvision's state_dict`, () => {
      const text = `use std/${m.std}\n\nnetwork member = ${m.network}\n`;
      const r = checkFile('examples/member.resdsl', { text });
      expect(r.diagnostics).toEqual([]);
      const net = r.networks[0]!;
      expect(net.graph!.inputs[0]!.type.shape.slice(2)).toEqual([m.size, m.size]);
      expect(net.stats!.params).toBe(m.params);
      expect(net.stats!.macs).toBe(m.macs);
      const lines = [...net.graph!.params.values()].map((p) => `${p.name}\t[${p.shape.join(',')}]`).sort();
      expect(sha256Hex(new TextEncoder().encode(lines.join('\n') + '\n'))).toBe(m.sha);
    });
  }
});
