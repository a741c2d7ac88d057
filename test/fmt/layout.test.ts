/** The canonical layout, case by case: what the formatter makes of typical inputs. */
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../src/fmt/index.js';
import { fmt } from './helpers.js';

const cases: [string, string, string][] = [
  ['spacing and brackets', 'block  res( in ,out )<conv3;bn;relu ;conv3 ; bn>+shortcut', 'block res(in, out) <conv3; bn; relu; conv3; bn> + shortcut\n'],
  [
    'statements on one line stay together, on separate lines apart; `;` at line ends dropped',
    'network n {\n  input img: f32[N,3,8,8]\n  conv3(4); bn;relu\n  gap flatten fc(10);\n  output y }',
    'network n {\n  input img: f32[N, 3, 8, 8]\n  conv3(4); bn; relu\n  gap; flatten; fc(10)\n  output y\n}\n',
  ],
  [
    'blank lines: at most one kept, none after an opening brace',
    '\n\nuse std/resnet\n\n\n\nnetwork n {\n\n  input img: f32[N, 3, 8, 8]\n\n\n  relu\n}\n\n\n',
    'use std/resnet\n\nnetwork n {\n  input img: f32[N, 3, 8, 8]\n\n  relu\n}\n',
  ],
  [
    'comments: own-line and trailing, aligned in a run, kept in blocks and lists',
    '# head\nnetwork n { # the net\n  input img: f32[N, 3, 8, 8] # in\n  relu   # act\n  # before fc\n  fc(10, # ten\n     bias = true)\n  # at the end\n}',
    '# head\nnetwork n {                   # the net\n  input img: f32[N, 3, 8, 8]  # in\n  relu                        # act\n  # before fc\n  fc(10,  # ten\n     bias = true)\n  # at the end\n}\n',
  ],
  [
    'a long argument list fills its lines under the first argument',
    'network n = convnext(c1 = 96, c2 = 192, c3 = 384, c4 = 768, n1 = 3, n2 = 3, n3 = 9, n4 = 3, sd = 0.1, scale = 1e-6) {}',
    'network n = convnext(c1 = 96, c2 = 192, c3 = 384, c4 = 768, n1 = 3, n2 = 3, n3 = 9, n4 = 3,\n                     sd = 0.1, scale = 1e-6) {}\n',
  ],
  [
    'a long path opens and fills the lines below; a path written over lines keeps them',
    'block b(in) {\n  layers: <conv1(in * 6); bn; relu; dwconv(k = 3, stride = 2); bn; relu; conv1(in); bn; relu; conv1(in)> + identity\n  <\n    relu\n    bn\n  >\n}',
    'block b(in) {\n  layers: <\n    conv1(in * 6); bn; relu; dwconv(k = 3, stride = 2); bn; relu; conv1(in); bn; relu; conv1(in)\n  > + identity\n  <\n    relu\n    bn\n  >\n}\n',
  ],
  [
    "a block's body goes below its header when only that fits",
    'block preact(planes, stride = 1, out = planes) <bn; relu; conv3(stride = stride); bn; relu; conv3> + shortcut',
    'block preact(planes, stride = 1, out = planes)\n  <bn; relu; conv3(stride = stride); bn; relu; conv3> + shortcut\n',
  ],
  [
    'the new syntax: sums of products, conditions, templates, `as`, real numbers, `//`, trailing commas',
    'block m(in,out,k,stride=1,t=6,e=make_divisible(in*t,8),residual=stride==1 and in==out,){\n  "block{k}":<<conv1(e);silu> if e!=in;squeeze_excitation(squeeze=max(1,in//4),)>*gate+identity if residual else x0\n  blk(2.5e-3)x(n-1)as i with first(stride=2)\n}',
    'block m(in, out, k, stride = 1, t = 6, e = make_divisible(in * t, 8),\n        residual = stride == 1 and in == out) {\n  "block{k}": <\n    <conv1(e); silu> if e != in; squeeze_excitation(squeeze = max(1, in // 4))\n  > * gate + identity if residual else x0\n  blk(2.5e-3) x (n - 1) as i with first(stride = 2)\n}\n',
  ],
  ['CRLF line ends and a byte-order mark', '\uFEFFnetwork n {\r\n  input img: f32[N, 3]\r\n}\r\n', 'network n {\n  input img: f32[N, 3]\n}\n'],
  [
    'a `;` that ends an expression before a path is kept',
    'network n {\n  input img: f32[N, 3, 8, 8]\n  expect params == 0;\n  <relu>\n}',
    'network n {\n  input img: f32[N, 3, 8, 8]\n  expect params == 0;\n  <relu>\n}\n',
  ],
];

describe('the layout', () => {
  it.each(cases)('%s', (_what, input, output) => {
    expect(fmt(input)).toBe(output);
  });

  it('refuses a file with syntax errors, with its diagnostics', () => {
    const r = formatSource('block b( <relu>', 'bad.resdsl');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toContain('E0002');
  });
});
