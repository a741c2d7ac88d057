import { describe, expect, it } from 'vitest';
import { seedWeights } from '../../src/weights/attach.js';
import { checkFile as frontEnd } from '../../src/node/compile.js';
import { printGraph } from '../../src/ir/print.js';
import { graphStats } from '../../src/ir/stats.js';
import type { IrGraph, ParamTensor } from '../../src/ir/types.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { findPairs, fuseConvBn } from '../../src/passes/fuse-conv-bn.js';
import { count, outputError, randomWeights, resolved, snapshotData } from './helpers.js';
import { tensorValues } from '../../src/ir/tensor-values.js';

function fuse(g: IrGraph): IrGraph {
  const r = fuseConvBn(g);
  expect(r.diagnostics).toEqual([]);
  expect(verifyGraph(r.graph, { resolved: true })).toEqual([]);
  return r.graph;
}

const block = `
network blk {
  input image: f32[N, 4, 6, 6]
  <conv3(8, stride = 2); bn; relu; conv3(8, bias = true); bn(eps = 0.01)> + shortcut
  relu
}
`;

describe('conv-bn fusion', () => {
  it('folds every bn that follows a conv, the projection included; the conv keeps its name and gains a bias', () => {
    const g = randomWeights(resolved(block, 'B'), 1);
    expect(printGraph(g)).toMatchInlineSnapshot(`
      "network blk(%image: f32[N, 4, 6, 6]) {
        %conv1 = conv(%image) {out = 8, k = 3, stride = 2, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [8, 4, 3, 3]) : f32[N, 8, 3, 3]
        %bn1 = bn(%conv1) {eps = 0.00001} params(weight: [8], bias: [8], running_mean: [8], running_var: [8]) : f32[N, 8, 3, 3]
        %relu = relu(%bn1) : f32[N, 8, 3, 3]
        %conv2 = conv(%relu) {out = 8, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = true} params(weight: [8, 8, 3, 3], bias: [8]) : f32[N, 8, 3, 3]
        %bn2 = bn(%conv2) {eps = 0.01} params(weight: [8], bias: [8], running_mean: [8], running_var: [8]) : f32[N, 8, 3, 3]
        %downsample.0 = conv(%image) {out = 8, k = 1, stride = 2, pad = 0, dilation = 1, groups = 1, bias = false} params(weight: [8, 4, 1, 1]) : f32[N, 8, 3, 3]  # inserted by shortcut
        %downsample.1 = bn(%downsample.0) {eps = 0.00001} params(weight: [8], bias: [8], running_mean: [8], running_var: [8]) : f32[N, 8, 3, 3]  # inserted by shortcut
        %add = add(%bn2, %downsample.1) : f32[N, 8, 3, 3]
        %relu2 = relu(%add) : f32[N, 8, 3, 3]
        output output = %relu2 : f32[N, 8, 3, 3]
      }
      "
    `);
    const f = fuse(g);
    expect(printGraph(f)).toMatchInlineSnapshot(`
      "network blk(%image: f32[N, 4, 6, 6]) {
        %conv1 = conv(%image) {out = 8, k = 3, stride = 2, pad = 1, dilation = 1, groups = 1, bias = true} params(weight: [8, 4, 3, 3], bias: [8]) : f32[N, 8, 3, 3]
        %relu = relu(%conv1) : f32[N, 8, 3, 3]
        %conv2 = conv(%relu) {out = 8, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = true} params(weight: [8, 8, 3, 3], bias: [8]) : f32[N, 8, 3, 3]
        %downsample.0 = conv(%image) {out = 8, k = 1, stride = 2, pad = 0, dilation = 1, groups = 1, bias = true} params(weight: [8, 4, 1, 1], bias: [8]) : f32[N, 8, 3, 3]  # inserted by shortcut
        %add = add(%conv2, %downsample.0) : f32[N, 8, 3, 3]
        %relu2 = relu(%add) : f32[N, 8, 3, 3]
        output output = %relu2 : f32[N, 8, 3, 3]
      }
      "
    `);
    expect(outputError(g, f)).toBeLessThan(1e-5);
  });

  it('keeps the conv span and removes the bn tensors and types', () => {
    const g = randomWeights(resolved(block, 'B'), 2);
    const f = fuse(g);
    expect(f.nodes.find((n) => n.name === 'conv1')!.span).toEqual(g.nodes.find((n) => n.name === 'conv1')!.span);
    expect([...f.params.keys()].filter((k) => k.startsWith('bn'))).toEqual([]);
    expect([...f.types.keys()].filter((k) => k.startsWith('bn'))).toEqual([]);
    expect(graphStats(f).buffers).toBe(0);
  });

  it('computes w * gamma / sqrt(var + eps) and beta + (b - mean) * gamma / sqrt(var + eps), with a non-default eps', () => {
    const g = seedWeights(resolved('network t { input image: f32[N, 1, 3, 3]; conv1(2, bias = true); bn(eps = 0.5) }'), 1);
    const set = (m: Map<string, ParamTensor>, name: string, v: number[]) => m.set(name, { ...m.get(name)!, data: Float32Array.from(v) });
    const params = new Map(g.params);
    set(params, 'conv1.weight', [2, -3]);
    set(params, 'conv1.bias', [1, 0.5]);
    set(params, 'bn1.weight', [3, 1]);
    set(params, 'bn1.bias', [0.25, -1]);
    set(params, 'bn1.running_mean', [-1, 0.5]);
    set(params, 'bn1.running_var', [3.5, 0.5]); // var + eps = 4 and 1
    const f = fuse({ ...g, params });
    expect(Array.from(tensorValues(f.params.get('conv1.weight')!)!)).toEqual([2 * 1.5, -3 * 1]);
    expect(Array.from(tensorValues(f.params.get('conv1.bias')!)!)).toEqual([0.25 + (1 + 1) * 1.5, -1 + (0.5 - 0.5) * 1]);
    expect(outputError({ ...g, params }, f)).toBeLessThan(1e-6);
  });

  it('leaves a pre-activation bn (not after a conv) in place, and a bn after a conv with two users', () => {
    const text = 'network pre { input image: f32[N, 4, 6, 6]; bn; relu; conv3(4); <bn; relu; conv3(4)> + identity }';
    const g = randomWeights(resolved(text), 3);
    const f = fuse(g);
    expect(printGraph(f)).toMatchInlineSnapshot(`
      "network pre(%image: f32[N, 4, 6, 6]) {
        %bn1 = bn(%image) {eps = 0.00001} params(weight: [4], bias: [4], running_mean: [4], running_var: [4]) : f32[N, 4, 6, 6]
        %relu = relu(%bn1) : f32[N, 4, 6, 6]
        %conv1 = conv(%relu) {out = 4, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [4, 4, 3, 3]) : f32[N, 4, 6, 6]
        %bn2 = bn(%conv1) {eps = 0.00001} params(weight: [4], bias: [4], running_mean: [4], running_var: [4]) : f32[N, 4, 6, 6]
        %relu2 = relu(%bn2) : f32[N, 4, 6, 6]
        %conv2 = conv(%relu2) {out = 4, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [4, 4, 3, 3]) : f32[N, 4, 6, 6]
        %add = add(%conv2, %conv1) : f32[N, 4, 6, 6]
        output output = %add : f32[N, 4, 6, 6]
      }
      "
    `);
    expect(fuseConvBn(g).graph).toBe(g);
  });

  it('does not fuse a conv whose output has another user, or is a graph output', () => {
    const twoUsers = 'network two { input image: f32[N, 4, 6, 6]; conv3(4); <bn; relu> + identity }';
    const g = randomWeights(resolved(twoUsers), 4);
    expect(fuseConvBn(g).graph).toBe(g);
    const asOutput = 'network out { input image: f32[N, 4, 6, 6]; c: conv3(4); bn; output y; output z = c }';
    const h = randomWeights(resolved(asOutput), 4);
    expect(findPairs(h)).toEqual([]);
    expect(fuseConvBn(h).graph).toBe(h);
  });

  it('a bn that is a graph output: the output reads the fused conv', () => {
    const g = randomWeights(resolved('network o { input image: f32[N, 2, 4, 4]; conv3(3); bn; output y }'), 12);
    const f = fuse(g);
    expect(f.outputs.map((o) => [o.name, o.value])).toEqual([['y', 'conv1']]);
    expect(outputError(g, f)).toBeLessThan(1e-5);
  });

  it('fuses a chain conv; bn; bn in two rounds', () => {
    const g = randomWeights(resolved('network c { input image: f32[N, 3, 5, 5]; conv3(4, groups = 1); bn; bn(eps = 0.1); relu }'), 5);
    const f = fuse(g);
    expect(f.nodes.map((n) => n.op)).toEqual(['conv', 'relu']);
    expect(outputError(g, f)).toBeLessThan(1e-5);
  });

  it('handles grouped convs (per output channel scaling)', () => {
    const g = randomWeights(resolved('network gr { input image: f32[N, 6, 5, 5]; conv3(4, groups = 2, stride = 2); bn }'), 6);
    const f = fuse(g);
    expect(count(f, 'bn')).toBe(0);
    expect(outputError(g, f)).toBeLessThan(1e-5);
  });

  it('without weights (a graph only being checked) leaves every pair as it is', () => {
    const g = resolved(block, 'B');
    expect(fuseConvBn(g).graph).toBe(g);
    // one tensor without data is enough to keep that pair, and only that pair
    const seeded = seedWeights(g, 1);
    const params = new Map(seeded.params);
    const { data: _, produce: _made, ...noData } = params.get('bn2.running_var')!;
    params.set('bn2.running_var', noData);
    const f = fuse({ ...seeded, params });
    expect(f.nodes.filter((n) => n.op === 'bn').map((n) => n.name)).toEqual(['bn2']);
  });

  it('never writes into its input graph or its tensors', () => {
    const g = randomWeights(resolved(block, 'C'), 7);
    const text = printGraph(g);
    const data = snapshotData(g);
    const nodes = g.nodes.map((n) => ({ ...n }));
    fuse(g);
    expect(printGraph(g)).toBe(text);
    expect(snapshotData(g)).toEqual(data);
    expect(g.nodes).toEqual(nodes);
  });

  it('numerical check catches a wrong fold (the test can fail)', () => {
    const g = randomWeights(resolved(block, 'B'), 8);
    const f = fuse(g);
    const params = new Map(f.params);
    const b = params.get('conv2.bias')!;
    params.set('conv2.bias', { ...b, data: tensorValues(b)!.map((v, i) => (i === 0 ? v + 1e-3 : v)) });
    expect(outputError(g, { ...f, params })).toBeGreaterThan(1e-5);
  });
});

describe('fusion on the zoo', () => {
  const zoo = (name: string) => {
    const file = new URL(`../../examples/${name}.resdsl`, import.meta.url).pathname;
    const r = frontEnd(file);
    expect(r.diagnostics).toEqual([]);
    return r.networks[0]!.graph;
  };

  it.each(['resnet18', 'resnet50'])('removes every bn of %s', (name) => {
    const g = seedWeights(zoo(name), 1);
    const bns = count(g, 'bn');
    const f = fuse(g);
    expect(count(f, 'bn')).toBe(0);
    expect(f.nodes.length).toBe(g.nodes.length - bns);
    // each bn's 2C trainable tensors go, a C bias comes
    const channels = g.nodes.filter((n) => n.op === 'bn').reduce((s, n) => s + (g.types.get(n.name)!.shape[1] as number), 0);
    expect(graphStats(f).params).toBe(graphStats(g).params - channels);
  }, 30_000);

  it('leaves every bn of a pre-activation network that does not follow a conv; the one inside each block fuses', () => {
    const text = `use std/resnet
network pre {
  input image: f32[N, 3, 12, 12]
  conv3(16)
  layer1: preact(16) x 2
  layer2: preact(32) x 2 with first(stride = 2)
  bn; relu; gap; flatten; fc(10)
}`;
    const r = frontEnd('/virtual/pre.resdsl', { text, shortcut: 'A' });
    expect(r.diagnostics).toEqual([]);
    const g = randomWeights(r.networks[0]!.graph, 9);
    const f = fuse(g);
    const bns = (h: IrGraph) => h.nodes.filter((n) => n.op === 'bn').map((n) => n.name);
    // preact is <bn; relu; conv3; bn; relu; conv3> + shortcut: bn1 reads the block input, bn2 a conv
    expect(bns(g)).toHaveLength(9);
    expect(bns(f)).toEqual(['layer1.0.bn1', 'layer1.1.bn1', 'layer2.0.bn1', 'layer2.1.bn1', 'bn1']);
    expect(outputError(g, f)).toBeLessThan(1e-5);
  });
});
