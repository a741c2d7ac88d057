// Reusing block expansions (src/ir/elaborate/block-cache.ts) changes nothing but the time: for the
// examples, the fuzz corpus, generated programs and mutated examples (with their mistakes), the
// graphs (nodes with their call sites, types, tensors and modules, in order) and the diagnostics
// are the same with reuse on and off; and repeated calls are really copied.
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { elaborateProgram } from '../../src/ir/elaborate/index.js';
import { nodeHost } from '../../src/node/host.js';
import { loadProgram } from '../../src/program/load.js';
import { programArb } from '../fuzz/gen/program.js';
import { loadBases } from '../fuzz/inputs.js';
import { mutantArb } from '../fuzz/mutate.js';

function elaborate(file: string, text: string, reuseExpansions: boolean) {
  const r = elaborateProgram(loadProgram(nodeHost, file, text), { reuseExpansions });
  return {
    diagnostics: r.diagnostics,
    networks: r.networks.map((n) => ({
      name: n.name,
      expects: n.expects,
      inputs: n.graph.inputs,
      outputs: n.graph.outputs,
      nodes: n.graph.nodes,
      types: [...n.graph.types],
      params: [...n.graph.params],
      modules: [...(n.graph.modules ?? [])],
    })),
    reused: r.networks.reduce((s, n) => s + n.reusedExpansions, 0),
  };
}

function sameWithAndWithout(file: string, text: string): number {
  const on = elaborate(file, text, true);
  const off = elaborate(file, text, false);
  expect(off.reused).toBe(0);
  expect({ ...on, reused: 0 }).toEqual(off);
  return on.reused;
}

describe('reused block expansions', () => {
  it('give the same graphs and diagnostics as elaborating every call, for the examples and the corpus', () => {
    const files = [
      ...fs.readdirSync('examples').filter((f) => f.endsWith('.resdsl')).map((f) => path.join('examples', f)),
      ...fs.readdirSync('test/fuzz/corpus').filter((f) => f.endsWith('.resdsl')).map((f) => path.join('test/fuzz/corpus', f)),
      ...fs.readdirSync('std').filter((f) => f.endsWith('.resdsl')).map((f) => path.join('std', f)),
    ];
    let reused = 0;
    for (const f of files) reused += sameWithAndWithout(f, fs.readFileSync(f, 'utf8'));
    expect(reused).toBeGreaterThan(100); // the ResNets' repeated blocks are copied
  });

  it('copy a block called again with the same arguments and input, under its own names and call site', () => {
    const text = [
      'block inner(out) <conv3(out); bn>',
      'block res(in, out, stride = 1) <conv3(out, stride = stride); bn; relu; x: inner(out)> + shortcut',
      'network n {',
      '  input x: f32[N, 8, 16, 16]',
      '  res(8); res(8); res(16, stride = 2); res(16); res(16); gap; flatten; fc(10)',
      '}',
    ].join('\n');
    // copied: the second res(8), the third res(16) (the first has stride 2), and in the second
    // res(16) its inner(16), recorded in the first on the same input type
    expect(sameWithAndWithout('n.resdsl', text)).toBe(3);
    const names = elaborate('n.resdsl', text, true).networks[0]!.nodes.map((n) => n.name);
    expect(names.filter((n) => n.startsWith('res5.'))).toEqual(['res5.conv1', 'res5.bn1', 'res5.relu', 'res5.x.conv1', 'res5.x.bn1', 'res5.downsample', 'res5.add']);
  });

  it('are not made of a call that reported a mistake: each call is checked and the mistake reported once', () => {
    const text = 'block b(out) <conv3(out); relux>\nnetwork n {\n  input x: f32[N, 4, 8, 8]\n  b(4); b(4); b(4)\n}\n';
    expect(sameWithAndWithout('t.resdsl', text)).toBe(0);
    expect(elaborate('t.resdsl', text, true).diagnostics.map((d) => d.code)).toEqual(['E0101']);
  });

  it('change nothing for generated programs and mutated examples (their mistakes included)', () => {
    const bases = loadBases().filter((b) => b.small).map((b) => b.text);
    let reused = 0;
    fc.assert(
      fc.property(programArb, (p) => {
        reused += sameWithAndWithout('gen.resdsl', p.text);
      }),
      { seed: 20261130, numRuns: 150 },
    );
    expect(reused).toBeGreaterThan(0);
    fc.assert(
      fc.property(mutantArb(bases), (m) => {
        sameWithAndWithout('mutant.resdsl', new TextDecoder().decode(m.bytes));
      }),
      { seed: 20261130, numRuns: 150 },
    );
  });
});
