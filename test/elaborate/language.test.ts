/** What the language means: the design card's line, parameters, repetition, stages, labels, outputs. */
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/node/compile.js';
import { formatType } from '../../src/ir/types.js';
import { checkText, codes } from '../helpers/front.js';

const card = 'block res(in,out)<conv3;bn;relu;conv3;bn> + shortcut\n';

function graphOf(text: string, opts = {}) {
  const r = checkText(text, opts);
  expect(r.diagnostics).toEqual([]);
  return r.networks[0]!.graph;
}

function layers(text: string, opts = {}) {
  const g = graphOf(text, opts);
  return g.nodes.map((n) => `${n.name}:${n.op}:${formatType(g.types.get(n.name)!)}`);
}

describe('the design card', () => {
  it('parses verbatim and elaborates to the basic block in -> out -> out', () => {
    const g = graphOf(`${card}network t {\n  input image: f32[N, 64, 56, 56]\n  res(128)\n}\n`);
    expect(g.nodes.map((n) => n.name)).toEqual([
      'res1.conv1', 'res1.bn1', 'res1.relu', 'res1.conv2', 'res1.bn2', 'res1.downsample.0', 'res1.downsample.1', 'res1.add',
    ]);
    expect(g.params.get('res1.conv1.weight')!.shape).toEqual([128, 64, 3, 3]);
    expect(g.params.get('res1.conv2.weight')!.shape).toEqual([128, 128, 3, 3]);
    expect(g.params.get('res1.downsample.0.weight')!.shape).toEqual([128, 64, 1, 1]);
  });

  it('keeps the shortcut unresolved in the elaborated IR, with what the shortcut pass needs', () => {
    const r = checkFile('test.resdsl', { text: `${card}network t {\n  input image: f32[N, 64, 56, 56]\n  res(128)\n}\n` }, 'elaborate');
    const sc = r.networks[0]!.graph.nodes.find((n) => n.op === 'shortcut')!;
    expect(sc.name).toBe('res1.downsample');
    expect(sc.attrs).toEqual({ out: 128, stride: 1, policy: '' });
    expect(sc.inputs).toEqual(['image']);
  });

  it('is the identity where the path keeps the shape (policy B)', () => {
    const g = graphOf(`${card}network t {\n  input image: f32[N, 64, 8, 8]\n  res(64)\n}\n`);
    expect(g.nodes.find((n) => n.op === 'add')!.inputs).toEqual(['res1.bn2', 'image']);
  });

  it('binds in when given and equal; a disagreeing in is an error naming both', () => {
    expect(codes(`${card}network t {\n  input image: f32[N, 64, 8, 8]\n  res(64, 128)\n}\n`)).toEqual([]);
    expect(codes(`${card}network t {\n  input image: f32[N, 64, 8, 8]\n  res(in = 32, out = 128)\n}\n`)).toEqual(['E0114']);
  });
});

describe('blocks', () => {
  it('take positional and named arguments, defaults that use earlier parameters, and integer arithmetic', () => {
    const g = graphOf(
      'block b(out, stride = 1, width = out / 4 * 2) <conv1(width); conv3(width, stride = stride); conv1>\n' +
        'network t {\n  input image: f32[N, 16, 8, 8]\n  b(64, stride = 2)\n}\n',
    );
    expect(g.params.get('b1.conv1.weight')!.shape).toEqual([32, 16, 1, 1]);
    expect(formatType(g.types.get('b1.conv3')!)).toBe('f32[N, 64, 4, 4]');
  });

  it('are passed to blocks and networks as values, with arguments bound (partial application)', () => {
    const g = graphOf(
      'block unit(out, groups = 1) <conv3(groups = groups); relu>\n' +
        'block twice(blk, out) <blk(out); blk(out)>\n' +
        'network t {\n  input image: f32[N, 8, 8, 8]\n  twice(unit(groups = 4), 16)\n}\n',
    );
    expect(g.nodes.filter((n) => n.op === 'conv').map((n) => n.attrs.groups)).toEqual([4, 4]);
  });

  it('a partially applied argument may be overridden by the call', () => {
    const g = graphOf('block u(out, k = 1) <conv(out, k = k)>\nblock w(blk) <blk(4, k = 3)>\nnetwork t {\n  input image: f32[N, 2, 8, 8]\n  w(u(k = 5))\n}\n');
    expect(g.nodes[0]!.attrs.k).toBe(3);
  });
});

describe('repetition and stages', () => {
  const stage = (line: string) =>
    layers(`use std/resnet\nnetwork t {\n  input image: f32[N, 64, 56, 56]\n${line}\n}\n`).filter((l) => /conv1:|downsample\.0/.test(l));

  it('numbers the repetitions of a labelled stage 0, 1, ... with the first one different', () => {
    expect(stage('  layer2: basic(128) x 3 with first(stride = 2)')).toEqual([
      'layer2.0.conv1:conv:f32[N, 128, 28, 28]',
      'layer2.0.downsample.0:conv:f32[N, 128, 28, 28]',
      'layer2.1.conv1:conv:f32[N, 128, 28, 28]',
      'layer2.2.conv1:conv:f32[N, 128, 28, 28]',
    ]);
  });

  it('numbers across a whole labelled stage written as a path', () => {
    expect(stage('  layer2: <basic(128, stride = 2); basic(128) x 2>')).toEqual(stage('  layer2: basic(128) x 3 with first(stride = 2)'));
  });

  it('repeats zero times as nothing, and counts from expressions', () => {
    expect(layers('network t(n = 2) {\n  input image: f32[N, 4, 4, 4]\n  relu x 0\n  relu x (n * 2 - 1)\n}\n')).toHaveLength(3);
  });
});

describe('networks', () => {
  it('have named outputs, also of labelled layers earlier in the network', () => {
    const g = graphOf('network t {\n  input image: f32[N, 3, 8, 8]\n  trunk: conv3(4)\n  relu\n  output act\n  gap; flatten; fc(2)\n  output logits\n  output feats = trunk\n}\n');
    expect(g.outputs.map((o) => [o.name, o.value])).toEqual([
      ['act', 'relu'],
      ['logits', 'fc'],
      ['feats', 'trunk'],
    ]);
  });

  it('a generic network is instantiated by a derived one, which may change the input', () => {
    const g = graphOf('use std/resnet\nnetwork small = resnet(basic, 1, 1, 1, 1, classes = 7) {\n  input image: f32[N, 3, 64, 64]\n  expect output == f32[N, 7]\n}\n');
    expect(formatType(g.types.get('layer4.0.conv2')!)).toBe('f32[N, 512, 2, 2]');
  });

  it('-n picks one of several; without it, summary-like callers need exactly one', () => {
    const two = 'network a {\n  input image: f32[N, 3, 8, 8]\n  relu\n}\nnetwork b {\n  input image: f32[N, 3, 8, 8]\n  sigmoid\n}\n';
    expect(checkText(two).networks.map((n) => n.name)).toEqual(['a', 'b']);
    expect(checkText(two, { network: 'b' }).networks.map((n) => n.name)).toEqual(['b']);
    expect(codes(two, { single: true })).toEqual(['E0112']);
  });

  it('accepts comments, _ separators and a fixed batch size', () => {
    const g = graphOf('# a comment\nnetwork t { # another\n  input image: f32[2, 3, 1_6, 16]\n  conv3(1_0)\n}\n');
    expect(formatType(g.types.get('conv1')!)).toBe('f32[2, 10, 16, 16]');
  });
});

describe('shape inference follows ONNX output-size rules', () => {
  const out = (layer: string, input = 'f32[N, 3, 7, 7]') => formatType(graphOf(`network t {\n  input image: ${input}\n  ${layer}\n}\n`).types.get(graphOf(`network t {\n  input image: ${input}\n  ${layer}\n}\n`).nodes.at(-1)!.name)!);
  it.each([
    ['conv7(8, stride = 2)', 'f32[N, 8, 4, 4]'],
    ['conv3(8, stride = 2, pad = 0)', 'f32[N, 8, 3, 3]'],
    ['conv3(8, dilation = 2)', 'f32[N, 8, 7, 7]'],
    ['conv(8, k = 5, pad = 0)', 'f32[N, 8, 3, 3]'],
    ['maxpool3(stride = 2, pad = 1)', 'f32[N, 3, 4, 4]'],
    ['maxpool2', 'f32[N, 3, 3, 3]'],
    ['maxpool2(ceil = true)', 'f32[N, 3, 4, 4]'],
    ['avgpool3(stride = 2, ceil = true)', 'f32[N, 3, 3, 3]'],
    ['gap', 'f32[N, 3, 1, 1]'],
    ['flatten', 'f32[N, 147]'],
  ])('%s on f32[N, 3, 7, 7] gives %s', (layer, want) => {
    expect(out(layer)).toBe(want);
  });
});
