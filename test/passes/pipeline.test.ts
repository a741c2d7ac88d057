import { describe, expect, it } from 'vitest';
import { seedWeights } from '../../src/weights/attach.js';
import { printGraph } from '../../src/ir/print.js';
import type { IrGraph } from '../../src/ir/types.js';
import { runPasses, stages } from '../../src/pipeline/index.js';
import { count, elaborate, ops, outputError, randomWeights, resolved } from './helpers.js';
import { tensorValues } from '../../src/ir/tensor-values.js';

const text = `
network t {
  input image: f32[N, 3, 8, 8]
  conv3(8); bn; relu
  <conv3(16, stride = 2); bn; relu; conv3(16); dropout; bn> + shortcut
  relu; gap; flatten; dropout(0.1); fc(4)
}
`;

function run(g: IrGraph, opts: Partial<Parameters<typeof runPasses>[1]> = {}) {
  const r = runPasses(g, { shortcut: 'B', verify: true, ...opts });
  expect(r.diagnostics).toEqual([]);
  return r.graph;
}

describe('the pass pipeline', () => {
  it('is one list of stages; the passes among them are shortcut, cleanup, fuse (optional), in that order', () => {
    expect(stages.map((s) => s.name)).toEqual(['load', 'parse', 'elaborate', 'shortcut', 'expect', 'weights', 'cleanup', 'fuse', 'verify', 'lower']);
    expect(stages.filter((s) => s.pass).map((s) => [s.name, s.optional])).toEqual([
      ['shortcut', false],
      ['cleanup', false],
      ['fuse', true],
    ]);
    expect(stages.every((s) => s.does.length > 0)).toBe(true);
  });

  it('resolves, cleans and fuses: the printed result', () => {
    const g = elaborate(text);
    const withWeights = randomWeights(resolved(text), 1);
    expect(printGraph(run(withWeights))).toMatchInlineSnapshot(`
      "network t(%image: f32[N, 3, 8, 8]) {
        %conv1 = conv(%image) {out = 8, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = true} params(weight: [8, 3, 3, 3], bias: [8]) : f32[N, 8, 8, 8]
        %relu = relu(%conv1) : f32[N, 8, 8, 8]
        %conv2 = conv(%relu) {out = 16, k = 3, stride = 2, pad = 1, dilation = 1, groups = 1, bias = true} params(weight: [16, 8, 3, 3], bias: [16]) : f32[N, 16, 4, 4]
        %relu2 = relu(%conv2) : f32[N, 16, 4, 4]
        %conv3 = conv(%relu2) {out = 16, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = true} params(weight: [16, 16, 3, 3], bias: [16]) : f32[N, 16, 4, 4]
        %downsample.0 = conv(%relu) {out = 16, k = 1, stride = 2, pad = 0, dilation = 1, groups = 1, bias = true} params(weight: [16, 8, 1, 1], bias: [16]) : f32[N, 16, 4, 4]  # inserted by shortcut
        %add = add(%conv3, %downsample.0) : f32[N, 16, 4, 4]
        %relu3 = relu(%add) : f32[N, 16, 4, 4]
        %gap = gap(%relu3) : f32[N, 16, 1, 1]
        %flatten = flatten(%gap) : f32[N, 16]
        %fc = fc(%flatten) {out = 4, bias = true} params(weight: [4, 16], bias: [4]) : f32[N, 4]
        output output = %fc : f32[N, 4]
      }
      "
    `);
    expect(printGraph(run(g))).toContain('bn(');
  });

  it('without weights, fusion leaves the graph as it is', () => {
    const g = elaborate(text);
    const printed: string[] = [];
    run(g, { printAfter: ['cleanup', 'fuse'], onPrint: (_p, _n, t) => printed.push(t) });
    expect(printed).toHaveLength(2);
    expect(printed[1]).toBe(printed[0]);
  });

  it('stops at the first pass that reports diagnostics', () => {
    const shrink = 'network s { input image: f32[N, 16, 8, 8]; <conv3(8, stride = 2); bn> + shortcut }';
    const printed: string[] = [];
    const r = runPasses(elaborate(shrink), { shortcut: 'A', verify: true, printAfter: 'all', onPrint: (p) => printed.push(p) });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E0601']);
    expect(printed).toEqual([]);
  });

  it('prints after the passes asked for, or after all', () => {
    const g = randomWeights(resolved(text), 2);
    const seen: string[] = [];
    const last: Record<string, string> = {};
    const out = run(g, { printAfter: 'all', onPrint: (p, _n, t) => (seen.push(p), (last[p] = t)) });
    expect(seen).toEqual(['shortcut', 'cleanup', 'fuse']);
    expect(last.fuse).toBe(printGraph(out));
    expect(last.cleanup).not.toContain('dropout');
    expect(last.cleanup).toContain('bn(');
    const some: string[] = [];
    run(g, { printAfter: ['fuse'], onPrint: (p) => some.push(p) });
    expect(some).toEqual(['fuse']);
  });

  it('can turn fusion off, and then neither runs nor prints it', () => {
    const g = randomWeights(resolved(text), 3);
    const seen: string[] = [];
    const out = run(g, { fuse: false, printAfter: 'all', onPrint: (p) => seen.push(p) });
    expect(seen).toEqual(['shortcut', 'cleanup']);
    expect(count(out, 'bn')).toBe(4);
    expect(count(out, 'dropout')).toBe(0);
  });

  it('turns a broken graph into an internal error naming the place', () => {
    const g = elaborate(text);
    const broken = { ...g, outputs: [{ ...g.outputs[0]!, value: 'nothing' }] };
    expect(() => runPasses(broken, { shortcut: 'B', verify: true })).toThrow(/^internal: the IR of t is invalid before the passes/);
    expect(() => runPasses(broken, { shortcut: 'B' })).not.toThrow();
  });

  it('is idempotent: running it twice gives the same IR and weights as once', () => {
    for (const policy of ['A', 'B', 'C'] as const) {
      const src = `use std/resnet\nnetwork c = cifar_resnet(1, policy = ${policy}) { }`;
      const r = resolved(src, policy);
      const g = seedWeights(r, 4);
      const once = run(g, { shortcut: policy });
      const twice = run(once, { shortcut: policy });
      expect(printGraph(twice)).toBe(printGraph(once));
      for (const [k, p] of once.params) expect(tensorValues(twice.params.get(k)!)).toEqual(tensorValues(p));
      expect(twice).toBe(once);
    }
  });

  it('fuses a bn behind a dropout in one run (why cleanup comes before fuse)', () => {
    const g = randomWeights(resolved('network d { input image: f32[N, 3, 5, 5]; conv3(4); dropout; bn; identity; relu }'), 5);
    const once = run(g);
    expect(ops(once)).toEqual(['conv', 'relu']);
    expect(printGraph(run(once))).toBe(printGraph(once));
    expect(outputError(g, once)).toBeLessThan(1e-5);
  });

  it('computes the same outputs as the unoptimized graph', () => {
    const g = randomWeights(resolved(text, 'C'), 6);
    expect(outputError(g, run(g, { shortcut: 'C' }))).toBeLessThan(1e-5);
  });

  it('never writes into its input', () => {
    const g = randomWeights(resolved(text), 7);
    const before = printGraph(g);
    const data = [...g.params.values()].map((p) => Array.from(tensorValues(p)!));
    run(g);
    expect(printGraph(g)).toBe(before);
    expect([...g.params.values()].map((p) => Array.from(tensorValues(p)!))).toEqual(data);
  });
});
