import { describe, expect, it } from 'vitest';
import { printGraph } from '../../src/ir/print.js';
import type { IrGraph } from '../../src/ir/types.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { cleanup, cleanupPass } from '../../src/passes/cleanup.js';
import { ops, outputError, randomWeights, resolved, snapshotData } from './helpers.js';

function clean(g: IrGraph): IrGraph {
  const r = cleanup(g);
  expect(r.diagnostics).toEqual([]);
  expect(verifyGraph(r.graph, { resolved: true })).toEqual([]);
  return r.graph;
}

describe('cleanup pass', () => {
  it('removes dropout and identity, chains included, rewiring their users', () => {
    const text = `
      network t {
        input image: f32[N, 2, 4, 4]
        conv3(4); dropout(0.3); identity; relu
        <conv3(4); dropout> + identity
        identity
      }`;
    const g = randomWeights(resolved(text), 1);
    const f = clean(g);
    expect(printGraph(f)).toMatchInlineSnapshot(`
      "network t(%image: f32[N, 2, 4, 4]) {
        %conv1 = conv(%image) {out = 4, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [4, 2, 3, 3]) : f32[N, 4, 4, 4]
        %relu = relu(%conv1) : f32[N, 4, 4, 4]
        %conv2 = conv(%relu) {out = 4, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [4, 4, 3, 3]) : f32[N, 4, 4, 4]
        %add = add(%conv2, %relu) : f32[N, 4, 4, 4]
        output output = %add : f32[N, 4, 4, 4]
      }
      "
    `);
    expect(outputError(g, f)).toBe(0);
  });

  it('rewires graph outputs that named a removed node', () => {
    const g = resolved('network t { input image: f32[N, 2, 4, 4]; c: conv1(3); d: dropout; output y = d; output z }');
    const f = clean(g);
    expect(f.outputs.map((o) => [o.name, o.value])).toEqual([
      ['y', 'c'],
      ['z', 'c'],
    ]);
  });

  it('removes dead code with its tensors and types, and keeps unused graph inputs', () => {
    const text = `
      network t {
        input image: f32[N, 2, 4, 4]
        stem: conv3(4); bn; relu
        <conv3(4); bn> + shortcut
        fc_in: gap; flatten; fc(3)
        output features = stem
      }`;
    const g = resolved(text);
    const f = clean(g);
    expect(printGraph(f)).toMatchInlineSnapshot(`
      "network t(%image: f32[N, 2, 4, 4]) {
        %stem = conv(%image) {out = 4, k = 3, stride = 1, pad = 1, dilation = 1, groups = 1, bias = false} params(weight: [4, 2, 3, 3]) : f32[N, 4, 4, 4]
        output features = %stem : f32[N, 4, 4, 4]
      }
      "
    `);
    expect([...f.params.keys()]).toEqual(['stem.weight']);
    expect([...f.types.keys()].sort()).toEqual(['image', 'stem']);
    // an output naming the input directly (not writable in the DSL, but a valid graph)
    const noUse = { ...g, outputs: [{ ...g.outputs[0]!, value: 'image' }] };
    expect(clean(noUse).nodes).toEqual([]);
    expect(clean(noUse).inputs).toEqual(g.inputs);
    expect([...clean(noUse).types.keys()]).toEqual(['image']);
  });

  it('returns an already clean graph unchanged, and is idempotent', () => {
    const g = resolved('network t { input image: f32[N, 2, 4, 4]; conv3(4); bn; relu; dropout }');
    const once = clean(g);
    expect(clean(once)).toBe(once);
    expect(ops(once)).toEqual(['conv', 'bn', 'relu']);
  });

  it('never writes into its input', () => {
    const g = randomWeights(resolved('network t { input image: f32[N, 2, 4, 4]; conv3(4); dropout; output a; fc_: gap; output b = fc_ }'), 2);
    const text = printGraph(g);
    const data = snapshotData(g);
    clean(g);
    expect(printGraph(g)).toBe(text);
    expect(snapshotData(g)).toEqual(data);
  });

  it('is a required pass named cleanup', () => {
    expect(cleanupPass.name).toBe('cleanup');
    expect(cleanupPass.optional).toBe(false);
  });
});
