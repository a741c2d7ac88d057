/** Shared by the pass tests: compiling a DSL snippet to IR, random weights and inputs, numeric comparison. */
import { expect } from 'vitest';
import { seedWeights } from '../../src/weights/attach.js';
import { elaborateProgram } from '../../src/ir/elaborate/index.js';
import type { IrGraph, ParamTensor } from '../../src/ir/types.js';
import { verifyGraph } from '../../src/ir/verify.js';
import type { ShortcutPolicy } from '../../src/passes/pass.js';
import { shortcutPass } from '../../src/passes/shortcut.js';
import { loadProgram } from '../../src/program/load.js';
import { nodeHost } from '../../src/node/host.js';
import { evalGraph, relativeError, type T } from './eval.js';
import { tensorValues } from '../../src/ir/tensor-values.js';

export const snippetFile = '/virtual/snippet.resdsl';

/** The elaborated graph (shortcuts unresolved) of the snippet's only network; fails on diagnostics. */
export function elaborate(text: string, file = snippetFile): IrGraph {
  const r = elaborateProgram(loadProgram(nodeHost, file, text), { single: true });
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  expect(r.networks.length).toBe(1);
  const g = r.networks[0]!.graph;
  expect(verifyGraph(g)).toEqual([]);
  return g;
}

/** Elaborated, then shortcuts resolved by `policy`. */
export function resolved(text: string, policy: ShortcutPolicy = 'B'): IrGraph {
  const r = shortcutPass.run(elaborate(text), { shortcut: policy });
  expect(r.diagnostics).toEqual([]);
  expect(verifyGraph(r.graph, { resolved: true })).toEqual([]);
  return r.graph;
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(r: () => number, n: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** Seeded weights, with random batch-norm statistics and affine parameters (seeding gives mean 0, var 1, gamma 1, beta 0). */
export function randomWeights(g: IrGraph, seed: number): IrGraph {
  const seeded = seedWeights(g, seed);
  const r = rng(seed ^ 0x5eed);
  const ranges: Partial<Record<ParamTensor['init'], [number, number]>> = {
    bn_weight: [-2, 2],
    bn_bias: [-1, 1],
    bn_mean: [-1, 1],
    bn_var: [0.05, 3],
  };
  const params = new Map<string, ParamTensor>();
  for (const [name, p] of seeded.params) {
    const range = ranges[p.init];
    params.set(name, range ? { ...p, data: uniform(r, tensorValues(p)!.length, range[0], range[1]) } : p);
  }
  return { ...seeded, params };
}

/** One random input per graph input, batch `batch`. */
export function randomInputs(g: IrGraph, batch: number, seed: number): Map<string, T> {
  const r = rng(seed);
  return new Map(
    g.inputs.map((i) => {
      const shape = i.type.shape.map((d) => (typeof d === 'number' ? d : batch));
      return [i.name, { shape, data: Float64Array.from(uniform(r, shape.reduce((a, b) => a * b, 1), -1, 1)) }];
    }),
  );
}

/** The largest relative error between the outputs of two graphs on the same random inputs. */
export function outputError(before: IrGraph, after: IrGraph, seed = 1): number {
  const inputs = randomInputs(before, 2, seed);
  const want = evalGraph(before, inputs, 2);
  const got = evalGraph(after, inputs, 2);
  expect([...got.keys()]).toEqual([...want.keys()]);
  let worst = 0;
  for (const [name, w] of want) worst = Math.max(worst, relativeError(got.get(name)!, w));
  return worst;
}

/** Every tensor's data, copied: to check that a pass did not write into its input. */
export function snapshotData(g: IrGraph): Map<string, number[]> {
  return new Map([...g.params].map(([k, p]) => [k, Array.from(tensorValues(p) ?? [])]));
}

export const ops = (g: IrGraph) => g.nodes.map((n) => n.op);
export const count = (g: IrGraph, op: string) => g.nodes.filter((n) => n.op === op).length;
