/** Every model of the reference zoo has an example whose exact numbers the compiler reproduces. */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFile as frontEnd } from '../../src/node/compile.js';
import { formatType } from '../../src/ir/types.js';

const tsv = fs.readFileSync(new URL('../fixtures/reference/zoo-numbers.tsv', import.meta.url), 'utf8');
const rows = tsv
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'))
  .map(([model, input, params, macs]) => ({ model: model!, input: input!, params: Number(params), macs: Number(macs) }));

describe('the zoo examples', () => {
  it('covers all thirteen models of zoo-numbers.tsv', () => {
    expect(rows).toHaveLength(13);
  });

  for (const row of rows) {
    it(`${row.model}: ${row.params} params and ${row.macs} MACs, as torchvision / the paper`, () => {
      const file = `examples/${row.model}.resdsl`;
      const r = frontEnd(file);
      expect(r.diagnostics).toEqual([]);
      expect(r.networks.map((n) => n.name)).toEqual([row.model]);
      const net = r.networks[0]!;
      expect(net.stats.params).toBe(row.params);
      expect(net.stats.macs).toBe(row.macs);
      expect(formatType(net.graph.inputs[0]!.type).replace(/ /g, '')).toBe(row.input);
      const src = fs.readFileSync(file, 'utf8').replace(/_/g, '');
      expect(src).toContain(`expect params == ${row.params}`);
      expect(src).toContain(`expect macs == ${row.macs}`);
      expect(src).toMatch(/expect output == f32\[N, (10|1000)\]/);
    });
  }

  it('the ImageNet five share the one generic definition of std/resnet', () => {
    for (const m of ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'])
      expect(fs.readFileSync(`examples/${m}.resdsl`, 'utf8')).toMatch(/use std\/resnet[\s\S]*= resnet\(/);
  });

  it('a failing expectation is a diagnostic at its own line', () => {
    const text = fs.readFileSync('examples/resnet18.resdsl', 'utf8').replace('11_689_512', '11_689_513');
    const r = frontEnd('examples/resnet18.resdsl', { text });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E0301']);
    expect(text.slice(r.diagnostics[0]!.span.start, r.diagnostics[0]!.span.end)).toBe('expect params == 11_689_513');
  });
});

describe('torchvision state_dict names', () => {
  const names = (file: string) => [...frontEnd(file).networks[0]!.graph.params.keys()];

  it('ResNet-18 has exactly the keys of torchvision.models.resnet18().state_dict() (less num_batches_tracked)', () => {
    const expected: string[] = ['conv1.weight', ...bn('bn1')];
    const stages = [64, 128, 256, 512];
    stages.forEach((_, s) => {
      for (let b = 0; b < 2; b++) {
        const p = `layer${s + 1}.${b}`;
        expected.push(`${p}.conv1.weight`, ...bn(`${p}.bn1`), `${p}.conv2.weight`, ...bn(`${p}.bn2`));
        if (s > 0 && b === 0) expected.push(`${p}.downsample.0.weight`, ...bn(`${p}.downsample.1`));
      }
    });
    expected.push('fc.weight', 'fc.bias');
    expect(names('examples/resnet18.resdsl').sort()).toEqual(expected.sort());
  });

  it('ResNet-50 names its bottleneck convs conv1..conv3 and projections downsample.0/1', () => {
    const n = names('examples/resnet50.resdsl');
    expect(n).toContain('layer2.0.downsample.1.running_var');
    expect(n).toContain('layer1.0.downsample.0.weight');
    expect(n).toContain('layer4.2.conv3.weight');
    expect(n).toContain('fc.weight');
    expect(n).not.toContain('layer1.1.downsample.0.weight');
    expect(n).toHaveLength(320 - 53); // torchvision: 320 keys, of which 53 are bn num_batches_tracked
  });

  it('the seed ResBlk has the PyTorch module names of the parity fixture', () => {
    const g = frontEnd('examples/seed.resdsl', { network: 'ResBlk' }).networks[0]!.graph;
    expect([...g.params.keys()].sort()).toEqual(
      ['conv1.weight', 'conv1.bias', ...bn('bn1'), 'conv2.weight', 'conv2.bias', ...bn('bn2'), 'extra.0.weight', 'extra.0.bias', ...bn('extra.1')].sort(),
    );
  });
});

function bn(p: string): string[] {
  return [`${p}.weight`, `${p}.bias`, `${p}.running_mean`, `${p}.running_var`];
}
