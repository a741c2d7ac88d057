/**
 * What the modern families need from the language, each with its exact semantics and its errors:
 * real numbers with explicit rounding (Python's semantics, as torchvision computes channels),
 * comparisons and conditions, conditional operands and items, products (gates), repetition
 * indices and template labels, nn.Sequential numbering of nested paths, layers as values, and the
 * layers of the families (dwconv, permute, layernorm, linear, layer_scale, stochastic_depth).
 */
import { describe, expect, it } from 'vitest';
import type { IrGraph } from '../../src/ir/types.js';
import { checkFile } from '../../src/node/compile.js';
import { checkText, codes } from '../helpers/front.js';

const net = (body: string, input = 'f32[N, 8, 8, 8]') => `network n {\n  input img: ${input}\n${body}\n}\n`;

function graph(text: string): IrGraph {
  const r = checkText(text);
  expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.networks[0]!.graph;
}

/** The value of an integer expression, as the out channels of a 1x1 conv. */
function channels(expr: string): number {
  const g = graph(net(`  conv1(${expr})`));
  return g.params.get('conv1.weight')!.shape[0]!;
}

const shape = (g: IrGraph, name: string) => g.params.get(name)?.shape;

describe('real numbers and explicit rounding', () => {
  it('`/` is true division: a whole result is a channel count, a fractional one an error with help', () => {
    expect(channels('64 / 2')).toBe(32);
    const r = checkText(net('  conv1(64 / 3)'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E0107']);
    expect(r.diagnostics[0]!.message).toBe('argument out of conv1 must be an integer, found the number 21.333333333333332');
    expect(r.diagnostics[0]!.help).toMatch(/round it explicitly/);
  });

  it('`//` floors and `%` takes the floor remainder, as Python', () => {
    expect(channels('64 // 3')).toBe(21);
    expect(channels('7 // 2 + (0 - 7) // 2 + 10')).toBe(9); // 3 + -4 + 10
    expect(channels('(0 - 7) % 3 + 1')).toBe(3); // 2 + 1
  });

  it('round is round-half-to-even, int truncates toward zero, floor and ceil go down and up', () => {
    expect(channels('round(2.5) + 10')).toBe(12);
    expect(channels('round(3.5) + 10')).toBe(14);
    expect(channels('int(2.7) + int(0 - 2.7) + 10')).toBe(10);
    expect(channels('floor(2.7) + ceil(2.2)')).toBe(5);
    expect(channels('round(0.25 * 96)')).toBe(24);
  });

  it("make_divisible is torchvision's _make_divisible (nearest multiple, not below min, not 10% below)", () => {
    expect(channels('make_divisible(32 * 0.75, 8)')).toBe(24);
    expect(channels('make_divisible(83, 8)')).toBe(80);
    expect(channels('make_divisible(84, 8)')).toBe(88);
    expect(channels('make_divisible(3, 8)')).toBe(8);
    expect(channels('make_divisible(16 * 0.35, 8, 16)')).toBe(16);
    expect(channels('make_divisible(1280 * max(1.0, 0.5), 8)')).toBe(1280);
    expect(channels('min(3, 4) + max(1, 2)')).toBe(5);
  });

  it('functions say what is wrong with their arguments', () => {
    expect(codes(net('  conv1(round(1, 2))'))).toEqual(['E0103']);
    expect(codes(net('  conv1(round(x2 = 1))'))).toEqual(['E0104']);
    expect(codes(net('  conv1(round(true))'))).toEqual(['E0107']);
    expect(codes(net('  conv1(make_divisible(10, 2.5))'))).toEqual(['E0109']);
  });
});

describe('conditions', () => {
  it('compare, combine with and / or / not (short-circuit), and must be true or false', () => {
    const b = 'block b(in, out, s = 1) <conv1(out) if s == 1 and in != out; relu> + identity if not (s > 1 or in != out)\n';
    const g = graph(`${b}${net('  b(8)\n  b(16)\n  b(16, s = 2)')}`);
    expect(g.nodes.map((n) => n.name)).toEqual(['b1.relu', 'b1.add', 'b2.conv1', 'b2.relu', 'b3.relu']);
    expect(codes(net('  relu if 1'))).toEqual(['E0107']);
    expect(codes(net('  relu if true and 1'))).toEqual(['E0107']);
    expect(codes(net('  relu if false and 1'))).toEqual([]); // the right side is never evaluated
  });

  it('an absent item takes no index in a sequence; `else` takes the place', () => {
    const g = graph(net('  s: <conv1(4) if false; relu; conv1(4) if true else conv1(6); conv1(5) if false else relu6>'));
    expect(g.nodes.map((n) => `${n.name}:${n.op}`)).toEqual(['s.0:relu', 's.1:conv', 's.2:relu6']);
    expect(shape(g, 's.1.weight')).toEqual([4, 8, 1, 1]);
  });
});

describe('products, gates and residuals', () => {
  it('a squeeze-and-excitation gate: [N, C, 1, 1] scales [N, C, H, W]; `*` binds tighter than `+`', () => {
    const g = graph(net('  <conv1(8)> * <gap; fc1: conv1(2, bias = true); relu; fc2: conv1(8, bias = true); sigmoid> + identity'));
    expect(g.nodes.map((n) => `${n.name}:${n.op}`)).toEqual([
      'conv1:conv', 'gap:gap', 'fc1:conv', 'relu:relu', 'fc2:conv', 'sigmoid:sigmoid', 'mul:mul', 'add:add',
    ]);
    expect(g.nodes.find((n) => n.op === 'mul')!.inputs).toEqual(['conv1', 'sigmoid']);
    expect(g.nodes.find((n) => n.op === 'add')!.inputs).toEqual(['mul', 'img']);
  });

  it('shapes that do not broadcast are E0207', () => {
    expect(codes(net('  <conv1(8)> * <gap; conv1(4)>'))).toEqual(['E0207']);
  });

  it('a labelled first operand names that path (torchvision\'s `conv`, `block`, `f`)', () => {
    const g = graph(net('  f: <conv1(8); bn> + proj: shortcut'));
    expect([...g.params.keys()].filter((k) => k.endsWith('weight'))).toEqual(['f.0.weight', 'f.1.weight']);
  });
});

describe('repetition indices, template labels and nested sequences', () => {
  it('`x n as i` binds the index in the item and in `with first`; a template label names each item', () => {
    const text = `block b(in, out, stride = 1) conv3(out, stride = stride)
block stage(in, s) "b{s}-{i}": b(4 + i) x 3 as i with first(stride = 2)
${net('  stage: stage(s = 7)')}`;
    const g = graph(text);
    expect([...g.params.keys()]).toEqual(['stage.b7-0.conv1.weight', 'stage.b7-1.conv1.weight', 'stage.b7-2.conv1.weight']);
    expect(shape(g, 'stage.b7-2.conv1.weight')).toEqual([6, 5, 3, 3]);
    expect(g.types.get('stage.b7-0.conv1')!.shape).toEqual(['N', 4, 4, 4]);
  });

  it('a nested path in a sequence is a nested Sequential; a repetition fills the sequence', () => {
    const g = graph(net('  features: <<conv1(4); bn>; conv1(4) x 2; <relu; conv1(5)> x 2>'));
    expect([...g.params.keys()].filter((k) => k.endsWith('weight'))).toEqual([
      'features.0.0.weight', 'features.0.1.weight', 'features.1.weight', 'features.2.weight', 'features.3.1.weight', 'features.4.1.weight',
    ]);
  });

  it('a hole of a template label must be an integer in scope', () => {
    expect(codes(net('  "a{zz}": relu'))).toEqual(['E0101']);
    expect(codes(`block b(k = 1.5) "a{k}": relu\n${net('  b')}`)).toEqual(['E0107']);
  });
});

describe('layers as values', () => {
  it('a block parameter may be a layer, with arguments bound', () => {
    const b = 'block b(out, act = relu, proj = conv1(bias = true)) <proj(out); act>\n';
    const g = graph(`${b}${net('  b(4)\n  b(4, act = hardswish, proj = conv3)')}`);
    expect(g.nodes.map((n) => `${n.name}:${n.op}`)).toEqual(['b1.conv1:conv', 'b1.relu:relu', 'b2.conv1:conv', 'b2.hardswish:hardswish']);
    expect(shape(g, 'b1.conv1.bias')).toEqual([4]);
    expect(shape(g, 'b2.conv1.weight')).toEqual([4, 4, 3, 3]);
  });
});

describe('the layers of the families', () => {
  it('dwconv is conv with groups = in (times multiplier)', () => {
    const g = graph(net('  dwconv3(stride = 2); dwconv(k = 5, multiplier = 2, bias = true)'));
    expect(shape(g, 'conv1.weight')).toEqual([8, 1, 3, 3]);
    expect(shape(g, 'conv2.weight')).toEqual([16, 1, 5, 5]);
    expect(g.nodes[1]!.attrs).toMatchObject({ groups: 8, out: 16, pad: 2, bias: true });
  });

  it('permute, layernorm over the last axis, linear over it, and back: ConvNeXt\'s pointwise part', () => {
    const g = graph(net('  permute(0, 2, 3, 1); layernorm(eps = 1e-6); linear(32); gelu; linear(8); permute(0, 3, 1, 2); layer_scale(0.5); stochastic_depth(0.1)'));
    expect(g.types.get('permute')!.shape).toEqual(['N', 8, 8, 8]);
    expect(g.types.get('linear')!.shape).toEqual(['N', 8, 8, 32]);
    expect(shape(g, 'layernorm.weight')).toEqual([8]);
    expect(shape(g, 'linear.weight')).toEqual([32, 8]);
    expect(shape(g, 'layer_scale')).toEqual([8, 1, 1]);
    expect(g.params.get('layer_scale')!.init).toBe('fill:0.5');
    const r = checkFile('t.resdsl', { text: net('  permute(0, 2, 3, 1); linear(32); linear(8); permute(0, 3, 1, 2)') });
    expect(r.networks[0]!.stats!.macs).toBe(8 * 8 * (8 * 32 + 32 * 8));
  });

  it('say what is wrong with their arguments and inputs', () => {
    expect(codes(net('  permute(0, 2, 1)'))).toEqual(['E0109']);
    expect(codes(net('  permute(1, 0, 2, 3)'))).toEqual(['E0109']);
    expect(codes(net('  gap; flatten; layernorm2d'))).toEqual(['E0205']);
    expect(codes(net('  stochastic_depth(1.5)'))).toEqual(['E0109']);
    expect(codes(net('  layer_scale', 'f32[N, 8]'))).toEqual(['E0205']);
  });

  it('stochastic depth stays in the spec and is the identity at inference (gone after clean-up)', () => {
    const r = checkFile('t.resdsl', { text: net('  <conv1(8); stochastic_depth(0.2)> + identity') }, 'elaborate');
    expect(r.networks[0]!.graph.nodes.map((n) => n.op)).toEqual(['conv', 'stochastic_depth', 'add']);
  });
});
