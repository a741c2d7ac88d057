/** Property tests: every pass, and the whole pipeline, keeps what a random network computes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printGraph } from '../../src/ir/print.js';
import type { IrGraph } from '../../src/ir/types.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { cleanup } from '../../src/passes/cleanup.js';
import { findPairs, fuseConvBn } from '../../src/passes/fuse-conv-bn.js';
import { runPasses } from '../../src/pipeline/index.js';
import { shortcutPass } from '../../src/passes/shortcut.js';
import { elaborate, outputError, randomWeights, resolved } from './helpers.js';
import { allOptionA, netSpec, netText, type NetSpec } from './random-net.js';
import { tensorValues } from '../../src/ir/tensor-values.js';

const params = { seed: 20240611, numRuns: 100 };
const tolerance = 1e-5;

function prepared(s: NetSpec): IrGraph {
  return randomWeights(resolved(netText(s), s.policy), s.seed);
}

function checked(g: IrGraph): IrGraph {
  expect(verifyGraph(g, { resolved: true })).toEqual([]);
  return g;
}

describe('passes keep the outputs of random networks (relative error below 1e-5)', () => {
  it('conv-bn fusion', () => {
    fc.assert(
      fc.property(netSpec, (s) => {
        const g = prepared(s);
        const f = checked(fuseConvBn(g).graph);
        expect(findPairs(f)).toEqual([]);
        expect(outputError(g, f, s.seed)).toBeLessThan(tolerance);
      }),
      params,
    );
  });

  it('cleanup', () => {
    fc.assert(
      fc.property(netSpec, (s) => {
        const g = prepared(s);
        const f = checked(cleanup(g).graph);
        expect(f.nodes.some((n) => n.op === 'dropout' || n.op === 'identity')).toBe(false);
        expect(outputError(g, f, s.seed)).toBe(0);
      }),
      params,
    );
  });

  it("shortcut resolution under option A (against the evaluator's own meaning of an option A shortcut)", () => {
    fc.assert(
      fc.property(netSpec.map(allOptionA), (s) => {
        const g = randomWeights(elaborate(netText(s)), s.seed);
        const r = shortcutPass.run(g, { shortcut: 'A' });
        expect(r.diagnostics).toEqual([]);
        expect(outputError(g, checked(r.graph), s.seed)).toBe(0);
      }),
      params,
    );
  });

  it('the whole pipeline, which is also idempotent', () => {
    fc.assert(
      fc.property(netSpec, (s) => {
        const g = prepared(s);
        const once = runPasses(g, { shortcut: s.policy, verify: true });
        expect(once.diagnostics).toEqual([]);
        expect(outputError(g, once.graph, s.seed)).toBeLessThan(tolerance);
        const twice = runPasses(once.graph, { shortcut: s.policy, verify: true });
        expect(printGraph(twice.graph)).toBe(printGraph(once.graph));
        for (const [k, p] of once.graph.params) expect(tensorValues(twice.graph.params.get(k)!)).toEqual(tensorValues(p));
      }),
      params,
    );
  });
});
