import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFile as frontEnd } from '../../src/node/compile.js';
import { printGraph } from '../../src/ir/print.js';
import { graphStats } from '../../src/ir/stats.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { shortcutPass } from '../../src/passes/shortcut.js';
import { outputError, randomWeights, elaborate } from './helpers.js';

/** A CIFAR-style stage change: 16 -> 32 channels, stride 2, with the compile-wide policy (a bare `shortcut`). */
const cifarBlock = `
block blk(out, stride = 1) {
  <conv3(stride = stride); bn; relu; conv3; bn> + shortcut
  relu
}
network stage {
  input image: f32[N, 16, 8, 8]
  a: blk(16)
  b: blk(32, stride = 2)
}
`;

function run(text: string, policy: 'A' | 'B' | 'C') {
  const r = shortcutPass.run(elaborate(text), { shortcut: policy });
  expect(r.diagnostics).toEqual([]);
  expect(verifyGraph(r.graph, { resolved: true })).toEqual([]);
  return r.graph;
}

const shortcutLines = (text: string) =>
  text.split('\n').filter((l) => l.includes('downsample') || l.includes('.add ='));

describe('shortcut pass', () => {
  it('A: identity where the shape is kept, subsampling and zero channels where it changes', () => {
    const g = run(cifarBlock, 'A');
    expect(shortcutLines(printGraph(g))).toMatchInlineSnapshot(`
      [
        "  %a.add = add(%a.bn2, %image) : f32[N, 16, 8, 8]",
        "  %b.downsample.subsample = avgpool(%a.relu2) {k = 1, stride = 2, pad = 0, ceil = false, count_include_pad = true} : f32[N, 16, 4, 4]  # inserted by shortcut",
        "  %b.downsample.pad = pad_channels(%b.downsample.subsample) {before = 8, after = 8} : f32[N, 32, 4, 4]  # inserted by shortcut",
        "  %b.add = add(%b.bn2, %b.downsample.pad) : f32[N, 32, 4, 4]",
      ]
    `);
  });

  it('B: identity where the shape is kept, a projection (1x1 conv + bn) where it changes', () => {
    expect(shortcutLines(printGraph(run(cifarBlock, 'B')))).toMatchInlineSnapshot(`
      [
        "  %a.add = add(%a.bn2, %image) : f32[N, 16, 8, 8]",
        "  %b.downsample.0 = conv(%a.relu2) {out = 32, k = 1, stride = 2, pad = 0, dilation = 1, groups = 1, bias = false} params(weight: [32, 16, 1, 1]) : f32[N, 32, 4, 4]  # inserted by shortcut",
        "  %b.downsample.1 = bn(%b.downsample.0) {eps = 0.00001} params(weight: [32], bias: [32], running_mean: [32], running_var: [32]) : f32[N, 32, 4, 4]  # inserted by shortcut",
        "  %b.add = add(%b.bn2, %b.downsample.1) : f32[N, 32, 4, 4]",
      ]
    `);
  });

  it('C: a projection on every shortcut', () => {
    expect(shortcutLines(printGraph(run(cifarBlock, 'C')))).toMatchInlineSnapshot(`
      [
        "  %a.downsample.0 = conv(%image) {out = 16, k = 1, stride = 1, pad = 0, dilation = 1, groups = 1, bias = false} params(weight: [16, 16, 1, 1]) : f32[N, 16, 8, 8]  # inserted by shortcut",
        "  %a.downsample.1 = bn(%a.downsample.0) {eps = 0.00001} params(weight: [16], bias: [16], running_mean: [16], running_var: [16]) : f32[N, 16, 8, 8]  # inserted by shortcut",
        "  %a.add = add(%a.bn2, %a.downsample.1) : f32[N, 16, 8, 8]",
        "  %b.downsample.0 = conv(%a.relu2) {out = 32, k = 1, stride = 2, pad = 0, dilation = 1, groups = 1, bias = false} params(weight: [32, 16, 1, 1]) : f32[N, 32, 4, 4]  # inserted by shortcut",
        "  %b.downsample.1 = bn(%b.downsample.0) {eps = 0.00001} params(weight: [32], bias: [32], running_mean: [32], running_var: [32]) : f32[N, 32, 4, 4]  # inserted by shortcut",
        "  %b.add = add(%b.bn2, %b.downsample.1) : f32[N, 32, 4, 4]",
      ]
    `);
  });

  it("a block's own policy overrides the compile-wide one", () => {
    const text = cifarBlock.replace('+ shortcut', '+ shortcut(C)');
    expect(printGraph(run(text, 'A'))).toBe(printGraph(run(cifarBlock, 'C')));
  });

  it('leaves a graph without shortcuts as it is (the same object)', () => {
    const g = run(cifarBlock, 'B');
    expect(shortcutPass.run(g, { shortcut: 'C' }).graph).toBe(g);
  });

  it('does not modify its input', () => {
    const g = elaborate(cifarBlock);
    const before = printGraph(g);
    run(cifarBlock, 'C');
    shortcutPass.run(g, { shortcut: 'C' });
    expect(printGraph(g)).toBe(before);
  });

  it('computes what option A means: subsample by the stride, zero channels around the input', () => {
    const g0 = randomWeights(elaborate(cifarBlock), 5);
    const g1 = shortcutPass.run(g0, { shortcut: 'A' }).graph;
    expect(outputError(g0, g1)).toBeLessThan(1e-12);
  });

  it('E0601: option A cannot shrink channels', () => {
    const text = `
      network shrink {
        input image: f32[N, 16, 8, 8]
        <conv3(8, stride = 2); bn> + shortcut(A)
      }`;
    const r = shortcutPass.run(elaborate(text), { shortcut: 'B' });
    expect(r.diagnostics.map((d) => [d.code, d.message, d.help, d.notes])).toEqual([
      ['E0601', 'a shortcut of option A cannot shrink 16 channels to 8', 'use shortcut(B) for a projection', ['the shortcut\'s input is f32[N, 16, 8, 8]']],
    ]);
    const sc = elaborate(text).nodes.find((n) => n.op === 'shortcut')!;
    expect(r.diagnostics[0]!.span).toEqual(sc.span);
  });
});

describe('the CIFAR ResNets of the paper', () => {
  const zoo = new Map(
    readFileSync(new URL('../fixtures/reference/zoo-numbers.tsv', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
      .map(([model, , params, macs]) => [model!, { params: Number(params), macs: Number(macs) }]),
  );
  const depths = [20, 32, 44, 56, 110, 1202];

  it.each(depths)('cifar_resnet%i with option A has exactly the parameters and MACs of the reference', (depth) => {
    const file = new URL(`../../examples/cifar_resnet${depth}.resdsl`, import.meta.url).pathname;
    const r = frontEnd(file, { shortcut: 'B' }); // the network pins A through std/resnet's policy parameter
    expect(r.diagnostics).toEqual([]);
    const g = r.networks[0]!.graph;
    expect(g.nodes.some((n) => n.op === 'conv' && n.insertedBy === 'shortcut')).toBe(false);
    const want = zoo.get(`cifar_resnet${depth}`)!;
    expect(graphStats(g)).toMatchObject({ params: want.params, macs: want.macs });
  });

  it('cifar_resnet(3, policy = B) has exactly 2,752 more parameters: two projections', () => {
    const stats = (policy: string) => {
      const r = frontEnd('/virtual/cifar.resdsl', { text: `use std/resnet\nnetwork c = cifar_resnet(3, policy = ${policy})` });
      expect(r.diagnostics).toEqual([]);
      return graphStats(r.networks[0]!.graph);
    };
    expect(stats('A').params).toBe(zoo.get('cifar_resnet20')!.params);
    expect(stats('B').params - stats('A').params).toBe(2_752); // 16*32 + 2*32 + 32*64 + 2*64
    expect(stats('C').params - stats('A').params).toBeGreaterThan(2_752);
  });
});
