/** `resdsl graph` through main(): the command, formats and depths, and bad input. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkFile } from '../../src/node/compile.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  return { code, out, err };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-graph-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The number of `<g class="node">` elements of an SVG, read with an XML parser. */
function nodeCount(svg: string): number {
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => n === 'g' }).parse(svg);
  let n = 0;
  const walk = (gs: Record<string, unknown>[] | undefined) => {
    for (const g of gs ?? []) {
      if (g['@class'] === 'node') n++;
      walk(g.g as Record<string, unknown>[] | undefined);
    }
  };
  walk(doc.svg.g);
  return n;
}

describe('resdsl graph', () => {
  const layers = checkFile('examples/resnet18.resdsl', { expectations: false }, 'shortcut').networks[0]!.graph.nodes.length;

  it('resdsl graph examples/resnet18.resdsl -o r18.svg: valid SVG with one box per layer (and the input and output)', async () => {
    const out = path.join(tmp, 'r18.svg');
    const r = await cli('graph', 'examples/resnet18.resdsl', '-o', out);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(nodeCount(fs.readFileSync(out, 'utf8'))).toBe(layers + 2);
  });

  it('--depth blocks: one box per block; --format dot (or a .dot file) writes the Graphviz source', async () => {
    const out = path.join(tmp, 'r18b.svg');
    expect((await cli('graph', 'examples/resnet18.resdsl', '--depth', 'blocks', '-o', out)).code).toBe(0);
    // 8 basic blocks, conv1 bn1 relu maxpool avgpool flatten fc, the input and the output
    expect(nodeCount(fs.readFileSync(out, 'utf8'))).toBe(8 + 7 + 2);
    const dot = path.join(tmp, 'r18.dot');
    expect((await cli('graph', 'examples/resnet18.resdsl', '-o', dot)).code).toBe(0);
    expect(fs.readFileSync(dot, 'utf8')).toMatch(/^digraph "resnet18" \{/);
    const stdout = await cli('graph', 'examples/resnet18.resdsl', '--format', 'dot', '--depth', 'blocks');
    expect(stdout.out).toContain('"b:layer1.0"');
  });

  it('reports a spec with errors like check does (exit 1), and needs a network when a file has several', async () => {
    const bad = path.join(tmp, 'bad.resdsl');
    fs.writeFileSync(bad, 'network t {\n  input image: f32[N, 3, 8, 8]\n  conv3(4, strid = 2)\n}\n');
    const r = await cli('graph', bad, '-o', path.join(tmp, 'bad.svg'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0104]');
    expect(fs.existsSync(path.join(tmp, 'bad.svg'))).toBe(false);
    const several = await cli('graph', 'examples/seed.resdsl');
    expect(several.code).toBe(1);
    expect(several.err).toMatch(/holds 3 networks/);
    expect((await cli('graph', 'examples/seed.resdsl', '-n', 'seed_net', '--format', 'dot')).code).toBe(0);
  });
});
