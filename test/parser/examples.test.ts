/** The language examples of the parser's brief, in one file (fixtures/brief-examples.resdsl). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noSpans, parseOk, walk } from './helpers.js';
import type * as A from '../../src/parser/ast.js';

const src = readFileSync(new URL('./fixtures/brief-examples.resdsl', import.meta.url), 'utf8');

describe('the brief examples', () => {
  const ast = parseOk(src);
  const byName = (n: string) => ast.items.find((i) => i.kind !== 'Use' && i.name.name === n);

  it('give every item, in order', () => {
    expect(ast.items.map((i) => (i.kind === 'Use' ? `use ${i.path}` : `${i.kind} ${i.name.name}`))).toEqual([
      'use resnet', 'use ./blocks.resdsl',
      'Block res', 'Block basic', 'Block bottleneck', 'Block resblk', 'Block resnet_d',
      'Network resnet', 'Network resnext50_32x4d', 'Network tiny',
    ]);
  });

  it('keep the bottleneck defaults that refer to earlier parameters', () => {
    const b = byName('bottleneck') as A.BlockDecl;
    expect(b.params.map((p) => p.name.name)).toEqual(['planes', 'stride', 'groups', 'base_width', 'width', 'out']);
    expect(noSpans(b.params[5]?.default)).toEqual({
      kind: 'Binary', op: '*', left: { kind: 'Name', name: 'planes' }, right: { kind: 'Int', value: 4, exact: true },
    });
    const layer = b.body[0] as A.LayerStmt;
    expect(layer.term.kind).toBe('Combination');
  });

  it('read the resnet network statement by statement', () => {
    const n = byName('resnet') as A.NetworkDecl;
    const kinds = n.body.map((s) => (s.kind === 'Layer' ? `${s.label?.name ?? '-'}:${s.term.kind}` : s.kind));
    expect(kinds).toEqual([
      'Input', 'conv1:Call', '-:Call', '-:Call', '-:Call', 'layer1:Repeat', 'layer2:Repeat', 'layer3:Path',
      '-:Call', '-:Call', '-:Call', 'Output',
    ]);
  });

  it('read the tiny network, with outputs in the middle', () => {
    const n = byName('tiny') as A.NetworkDecl;
    expect(n.body.map((s) => s.kind)).toEqual(['Input', 'Layer', 'Layer', 'Layer', 'Output', 'Layer', 'Layer', 'Layer', 'Output']);
    const fc = n.body[7] as A.LayerStmt;
    expect(noSpans(fc.term)).toMatchObject({ callee: { name: 'fc' }, args: [{ value: { value: 10 } }, { name: { name: 'bias' }, value: { kind: 'Bool', value: false } }] });
  });

  it('give spans that cut the source at each name', () => {
    for (const n of walk(ast)) {
      expect(n.span.file).toBe('t.resdsl');
      expect(0 <= n.span.start && n.span.start <= n.span.end && n.span.end <= src.length).toBe(true);
      if (n.kind === 'Ident') expect(src.slice(n.span.start, n.span.end)).toBe(n.name);
      if (n.kind === 'Name') expect(src.slice(n.span.start, n.span.end)).toBe(n.name);
    }
  });
});
