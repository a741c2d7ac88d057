import { describe, expect, it } from 'vitest';
import { formatAttrs, printGraph, printNode } from '../../src/ir/print.js';
import type { IrGraph } from '../../src/ir/types.js';
import { elaborate, resolved } from '../passes/helpers.js';

const block = `
block res(out, stride = 1) {
  <conv3(stride = stride); bn; relu; conv3; bn> + shortcut
  relu
}
network small {
  input image: f32[N, 3, 16, 16]
  stem: conv3(8, bias = true); bn(eps = 0.001); relu; maxpool2
  layer1: res(16, stride = 2)
  dropout(0.25)
  gap; flatten; fc(10)
  output logits
}
`;

describe('printGraph', () => {
  it('prints the elaborated graph: header, one line per node, outputs', () => {
    expect(printGraph(elaborate(block))).toMatchInlineSnapshot(`
      "network small(%image: f32[N, 3, 16, 16]) {
        %stem = conv(%image) {out = 8, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = true} params(weight: [8, 3, 3, 3], bias: [8]) : f32[N, 8, 16, 16]
        %bn1 = bn(%stem) {eps = 0.001} params(weight: [8], bias: [8], running_mean: [8], running_var: [8]) : f32[N, 8, 16, 16]
        %relu = relu(%bn1) : f32[N, 8, 16, 16]
        %maxpool = maxpool(%relu) {k = 2, stride = 2, pad = 0, ceil = false} : f32[N, 8, 8, 8]
        %layer1.conv1 = conv(%maxpool) {out = 16, k = 3, stride = 2, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [16, 8, 3, 3]) : f32[N, 16, 4, 4]
        %layer1.bn1 = bn(%layer1.conv1) {eps = 0.00001} params(weight: [16], bias: [16], running_mean: [16], running_var: [16]) : f32[N, 16, 4, 4]
        %layer1.relu = relu(%layer1.bn1) : f32[N, 16, 4, 4]
        %layer1.conv2 = conv(%layer1.relu) {out = 16, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [16, 16, 3, 3]) : f32[N, 16, 4, 4]
        %layer1.bn2 = bn(%layer1.conv2) {eps = 0.00001} params(weight: [16], bias: [16], running_mean: [16], running_var: [16]) : f32[N, 16, 4, 4]
        %layer1.downsample = shortcut(%maxpool) {out = 16, stride = 2, policy = ""} : f32[N, 16, 4, 4]
        %layer1.add = add(%layer1.bn2, %layer1.downsample) : f32[N, 16, 4, 4]
        %layer1.relu2 = relu(%layer1.add) : f32[N, 16, 4, 4]
        %dropout = dropout(%layer1.relu2) {p = 0.25} : f32[N, 16, 4, 4]
        %gap = gap(%dropout) : f32[N, 16, 1, 1]
        %flatten = flatten(%gap) : f32[N, 16]
        %fc = fc(%flatten) {out = 10, bias = true} params(weight: [10, 16], bias: [10]) : f32[N, 10]
        output logits = %fc : f32[N, 10]
      }
      "
    `);
  });

  it('marks the nodes a pass inserted', () => {
    const g = resolved(block, 'B');
    const lines = printGraph(g).split('\n').filter((l) => l.includes('downsample'));
    expect(lines).toMatchInlineSnapshot(`
      [
        "  %layer1.downsample.0 = conv(%maxpool) {out = 16, k = 1, stride = 2, pad = 0, dilation = 1, groups = 1, bias = false} params(weight: [16, 8, 1, 1]) : f32[N, 16, 4, 4]  # inserted by shortcut",
        "  %layer1.downsample.1 = bn(%layer1.downsample.0) {eps = 0.00001} params(weight: [16], bias: [16], running_mean: [16], running_var: [16]) : f32[N, 16, 4, 4]  # inserted by shortcut",
        "  %layer1.add = add(%layer1.bn2, %layer1.downsample.1) : f32[N, 16, 4, 4]",
      ]
    `);
  });

  it('is deterministic: the order of the type and parameter maps does not matter', () => {
    const g = elaborate(block);
    const shuffled: IrGraph = { ...g, types: new Map([...g.types].reverse()), params: new Map([...g.params].reverse()) };
    expect(printGraph(shuffled)).toBe(printGraph(g));
    expect(printGraph(elaborate(block))).toBe(printGraph(g));
  });

  it('writes every attribute in the op definition order, defaults included', () => {
    const g = elaborate('network t { input image: f32[N, 4, 8, 8]; conv(8, bias = true, groups = 2, k = 5) }');
    expect(formatAttrs(g.nodes[0]!)).toBe(' {out = 8, k = 5, stride = 1, pad = 2, dilation = 1, groups = 2, bias = true}');
  });

  it('names a parameter tensor only where it is not <node>.<role>, and shows what is missing as ?', () => {
    const g = elaborate('network t { input image: f32[N, 2, 4, 4]; conv1(3) }');
    const n = g.nodes[0]!;
    const renamed = { ...n, params: { weight: 'shared.w' } };
    const params = new Map([['shared.w', { ...g.params.get('conv1.weight')!, name: 'shared.w' }]]);
    expect(printNode({ ...g, params }, renamed)).toBe(
      '%conv1 = conv(%image) {out = 3, k = 1, stride = 1, pad = 0, dilation = 1, groups = 1, bias = false} params(weight @shared.w: [3, 2, 1, 1]) : f32[N, 3, 4, 4]',
    );
    expect(printNode({ ...g, params: new Map(), types: new Map() }, n)).toBe(
      '%conv1 = conv(%image) {out = 3, k = 1, stride = 1, pad = 0, dilation = 1, groups = 1, bias = false} params(weight: ?) : ?',
    );
  });

  it('quotes string attributes', () => {
    const g = elaborate('network t { input image: f32[N, 2, 4, 4]; <conv3(4); bn> + shortcut(C) }');
    const sc = g.nodes.find((n) => n.op === 'shortcut')!;
    expect(printNode(g, sc)).toBe('%downsample = shortcut(%image) {out = 4, stride = 1, policy = "C"} : f32[N, 4, 4, 4]');
  });
});
