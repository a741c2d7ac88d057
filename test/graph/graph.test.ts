/**
 * The network's picture: DOT laid out by Graphviz (WebAssembly) into SVG, read back with an XML
 * parser, its boxes and edges checked against the IR (every layer at `layers` depth; at `blocks`
 * depth each outermost block instance one box and the layers outside blocks), shapes on the edges,
 * residual shortcuts dashed, projections marked, and the same bytes every time.
 */
import * as fs from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { graphSvg } from '../../src/graph/index.js';
import type { IrGraph } from '../../src/ir/types.js';
import { checkFile } from '../../src/node/compile.js';

function graphOf(file: string, text?: string, network?: string): IrGraph {
  const r = checkFile(file, { expectations: false, ...(text !== undefined ? { text } : {}), ...(network ? { network } : {}) }, 'shortcut');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.networks[0]!.graph;
}

interface SvgGraph {
  nodes: Map<string, string[]>;
  edges: { from: string; to: string; label: string; dashed: boolean }[];
}

/** The boxes (title -> text lines) and edges of a Graphviz SVG, read with a real XML parser. */
function readSvg(svg: string): SvgGraph {
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['g', 'text', 'path', 'polygon', 'ellipse'].includes(name) }).parse(svg);
  expect(doc.svg).toBeDefined();
  const nodes = new Map<string, string[]>();
  const edges: SvgGraph['edges'] = [];
  // numeric character references (Graphviz writes `-` as &#45;) are decoded here
  const chars = (s: string) => s.replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));
  const textOf = (t: unknown) => chars(typeof t === 'object' && t !== null ? String((t as Record<string, unknown>)['#text'] ?? '') : String(t));
  const walk = (gs: Record<string, unknown>[] | undefined) => {
    for (const g of gs ?? []) {
      const cls = g['@class'];
      const title = chars(String(g.title ?? ''));
      if (cls === 'node') nodes.set(title, ((g.text as unknown[]) ?? []).map(textOf));
      if (cls === 'edge') {
        const [from, to] = title.split('->');
        const dashed = ((g.path as Record<string, unknown>[]) ?? []).some((p) => String(p['@stroke-dasharray'] ?? '') !== '');
        edges.push({ from: from!, to: to!, label: ((g.text as unknown[]) ?? []).map(textOf).join(' '), dashed });
      }
      walk(g.g as Record<string, unknown>[] | undefined);
    }
  };
  walk(doc.svg.g);
  return { nodes, edges };
}

/** The outermost modules that are not sequences: what `blocks` depth collapses. */
function outermostBlocks(g: IrGraph): string[] {
  const mods = g.modules!;
  return [...mods.keys()].filter((p) => mods.get(p) !== 'sequence' && ![...mods.keys()].some((q) => q !== p && mods.get(q) !== 'sequence' && p.startsWith(`${q}.`)));
}

describe('resdsl graph', () => {
  const r18 = graphOf('examples/resnet18.resdsl');

  it('draws every layer of ResNet-18 at layers depth, every edge with its shape, shortcuts dashed', async () => {
    const r = await graphSvg(r18, 'layers');
    if (!r.ok) throw new Error(r.message);
    const svg = readSvg(r.svg);
    const want = [...r18.inputs.map((i) => `in:${i.name}`), ...r18.nodes.map((n) => `n:${n.name}`), ...r18.outputs.map((o) => `out:${o.name}`)];
    expect([...svg.nodes.keys()].sort()).toEqual(want.sort());
    expect(svg.nodes.size).toBe(r18.nodes.length + 2);
    // one edge per input of each layer, one per output
    const wantEdges = [...r18.nodes.flatMap((n) => n.inputs.map((i) => `${r18.inputs.some((x) => x.name === i) ? 'in' : 'n'}:${i}->n:${n.name}`)), ...r18.outputs.map((o) => `n:${o.value}->out:${o.name}`)];
    expect(svg.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(wantEdges.sort());
    for (const e of svg.edges) {
      const value = e.from.slice(e.from.indexOf(':') + 1);
      expect(e.label).toBe(r18.types.get(value)!.shape.join('×'));
    }
    // the shortcut of every residual add is dashed, and only those edges
    const adds = r18.nodes.filter((n) => n.op === 'add');
    expect(adds.length).toBe(8);
    expect(svg.edges.filter((e) => e.dashed).map((e) => e.to).sort()).toEqual(adds.map((a) => `n:${a.name}`).sort());
    // projections (put in by the shortcut pass) are drawn, with their conv described
    expect(svg.nodes.get('n:layer2.0.downsample.0')).toEqual(['0', 'conv 1×1 /2, 128', '8,192 params']);
  });

  it('draws one box per block at blocks depth, with its parameter count', async () => {
    const r = await graphSvg(r18, 'blocks');
    if (!r.ok) throw new Error(r.message);
    const svg = readSvg(r.svg);
    const blocks = outermostBlocks(r18);
    expect(blocks).toEqual(['layer1.0', 'layer1.1', 'layer2.0', 'layer2.1', 'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1']);
    const outside = r18.nodes.filter((n) => !blocks.some((b) => n.name.startsWith(`${b}.`)));
    const want = ['in:image', ...blocks.map((b) => `b:${b}`), ...outside.map((n) => `n:${n.name}`), 'out:logits'];
    expect([...svg.nodes.keys()].sort()).toEqual(want.sort());
    expect(svg.nodes.get('b:layer2.0')).toEqual(['layer2.0', 'basic', '230,144 params']);
    expect(svg.edges.find((e) => e.from === 'b:layer1.1' && e.to === 'b:layer2.0')?.label).toBe('N×64×56×56');
  });

  it("the README's pictures are what the command makes (regenerate: resdsl graph examples/resnet18.resdsl [--depth blocks] -o docs/...)", async () => {
    for (const [file, depth] of [['docs/resnet18.svg', 'layers'], ['docs/resnet18-blocks.svg', 'blocks']] as const) {
      const r = await graphSvg(r18, depth);
      expect(r.ok && r.svg === fs.readFileSync(file, 'utf8'), `${file} is out of date`).toBe(true);
    }
  });

  it('gives the same bytes every time', async () => {
    const a = await graphSvg(r18, 'layers');
    const b = await graphSvg(graphOf('examples/resnet18.resdsl'), 'layers');
    expect(a).toEqual(b);
  });

  it('quotes names with hyphens and quotes, and draws the new families (RegNet, MobileNetV3: products, conditions)', async () => {
    for (const [file, depth] of [['examples/regnet_y_400mf.resdsl', 'blocks'], ['examples/mobilenet_v3_small.resdsl', 'layers']] as const) {
      const g = graphOf(file);
      const r = await graphSvg(g, depth);
      if (!r.ok) throw new Error(r.message);
      const svg = readSvg(r.svg);
      if (depth === 'layers') expect(svg.nodes.size).toBe(g.nodes.length + g.inputs.length + g.outputs.length);
      else expect([...svg.nodes.keys()].filter((k) => k.startsWith('b:'))).toEqual(['b:trunk_output.block1', 'b:trunk_output.block2', 'b:trunk_output.block3', 'b:trunk_output.block4']);
    }
    const g = graphOf('q.resdsl', 'network n {\n  input x0: f32[N, 3, 8, 8]\n  "a\\"b-c": conv3(4)\n}\n');
    expect(g.nodes[0]!.name).toBe('a"b-c');
    const svg = await graphSvg(g, 'layers');
    expect(svg.ok && readSvg(svg.svg).nodes.has('n:a"b-c')).toBe(true);
  });
});
