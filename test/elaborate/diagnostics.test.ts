/**
 * The rendered text of each kind of error the front end reports (snapshots), one small source
 * each. Every case also asserts its code, so a snapshot cannot pass by rendering something else.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/diagnostics/render.js';
import { checkFile as frontEnd } from '../../src/node/compile.js';
import { checkText, diagnose } from '../helpers/front.js';

const net = (body: string, input = 'f32[N, 3, 32, 32]') => `network t {\n  input image: ${input}\n${body}\n}\n`;

const cases: [string, string, string, { network?: string }?][] = [
  ['E0001', 'an unexpected character', net('  conv3(16) $ bn')],
  ['E0002', 'a path left open', net('  <conv3(16); bn; relu\n  gap')],
  ['E0101', 'a misspelt layer, with the likely name', net('  conv3(16); relux')],
  ['E0102', 'a block defined twice', 'block b(out) <conv3; bn>\nblock b(out) <conv1; bn>\n'],
  ['E0103', 'too many positional arguments', net('  relu(3)')],
  ['E0104', 'a misspelt named argument', net('  conv3(16, strid = 2)')],
  ['E0105', 'an argument given twice', net('  conv3(16, stride = 2, stride = 1)')],
  ['E0106', 'a block parameter without a value', 'block b(out, width) <conv3(width); conv1>\n' + net('  b(16)')],
  ['E0107', 'a number where true or false is wanted', net('  conv3(16, bias = 3)')],
  ['E0108', 'division by zero in an argument', net('  conv3(16 / (2 - 2))')],
  ['E0109', 'a stride of zero', net('  conv3(16, stride = 0)')],
  ['E0110', 'a conv without channels outside a block', net('  conv3; bn')],
  ['E0111', 'one label on two layers', net('  stem: conv3(16)\n  stem: conv3(16)')],
  ['E0112', 'a network asked for that the file does not hold', net('  conv3(16)'), { network: 'resnet' }],
  ['E0113', 'layers before any input', 'network t {\n  conv3(16)\n}\n'],
  ['E0114', 'in given and disagreeing with the input', 'block res(in, out) <conv3; bn; relu; conv3; bn> + shortcut\n' + net('  res(64, 128)')],
  ['E0115', 'an integer literal beyond 2^53', net('  conv3(99_999_999_999_999_999)')],
  ['E0116', 'an output naming a label that does not exist', net('  conv3(16)\n  output feats = trunk')],
  ['E0116', 'an output naming a label whose item is absent', net('  conv3(16)\n  trunk: gelu if 1 > 2\n  output feats = trunk')],
  ['E0116', 'an output naming a label that comes after it', net('  conv3(16)\n  output feats = trunk\n  trunk: relu')],
  ['E0118', 'an input statement inside a block', 'block b(out) {\n  input x0: f32[N, 3, 8, 8]\n  conv3\n}\n' + net('  b(8)')],
  ['E0201', 'a residual whose identity does not fit, inside an expanded block', 'block down(out) <conv3(stride = 2); bn> + identity\n' + net('  conv3(16)\n  stage: down(32)')],
  ['E0203', 'a pooling window larger than its input', net('  maxpool(k = 3, stride = 1)', 'f32[N, 3, 2, 2]')],
  ['E0204', 'channels not divisible by groups', net('  conv3(16, groups = 5)')],
  ['E0205', 'fc on a rank-4 tensor', net('  conv3(16); fc(10)')],
  ['E0206', 'a symbolic spatial size', net('  conv3(16)', 'f32[N, 3, H, W]')],
  ['E0301', 'a parameter count that differs', net('  conv3(16)\n  expect params == 400')],
  ['E0302', 'a MAC count that differs', net('  conv3(16)\n  expect macs == 1')],
  ['E0303', 'an output type that differs', net('  conv3(16)\n  expect output == f32[N, 16, 16, 16]')],
  ['E0401', 'a repetition count over the limit', net('  relu x 1_000_000')],
  ['E0402', 'brackets nested too deep', net(`  ${'<'.repeat(80)}relu${'>'.repeat(80)}`)],
  ['E0403', 'a block that calls itself', 'block loop(out) <conv3; loop(out)>\n' + net('  loop(8)')],
  ['E0404', 'a tensor over the element limit', net('  conv3(65_536)', 'f32[N, 3, 256, 256]')],
  ['E0405', 'a network over the layer limit, stopped before it is built', net('  <relu x 100_000> x 4')],
  ['E0406', 'a network over the parameter limit', net('  fc(100_000)', 'f32[N, 200_000]')],
  ['E0502', 'an unknown standard library module', 'use std/resnext\n'],
  ['E0601', 'a shortcut no stride can make fit', 'block odd(out) <maxpool2(stride = 1); conv3> + shortcut\n' + net('  odd(8)', 'f32[N, 8, 5, 5]')],
];

describe('rendered diagnostics', () => {
  it('cover more than 15 distinct error kinds', () => {
    expect(new Set(cases.map((c) => c[0])).size).toBeGreaterThan(30);
  });

  for (const [code, title, text, opts] of cases) {
    it(`${code}: ${title}`, () => {
      const r = checkText(text, opts ?? {});
      expect(r.diagnostics.map((d) => d.code)).toContain(code);
      expect(renderText(r.diagnostics, r.sources)).toMatchSnapshot();
    });
  }
});

describe('diagnostics that span files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-diag-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);

  it('E0501: a use of a missing file points at the use', () => {
    write('main.resdsl', 'use "./nowhere.resdsl"\n');
    const r = frontEnd(path.join(dir, 'main.resdsl'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E0501']);
    expect(r.diagnostics[0]!.message).toContain('no such file');
  });

  it('E0503: a cycle of uses names the cycle', () => {
    write('a.resdsl', 'use "./b.resdsl"\n');
    write('b.resdsl', 'use "./a.resdsl"\n');
    const r = frontEnd(path.join(dir, 'a.resdsl'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E0503']);
    expect(r.diagnostics[0]!.notes[0]).toMatch(/a\.resdsl -> .*b\.resdsl -> .*a\.resdsl/);
  });

  it('E0504: a use of a folder', () => {
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    write('c.resdsl', 'use "./sub"\n');
    expect(frontEnd(path.join(dir, 'c.resdsl')).diagnostics.map((d) => d.code)).toEqual(['E0504']);
  });

  it('an error in a used file is reported in that file, with its source line', () => {
    write('lib.resdsl', 'block bad(out) <conv3(out / 0)>\n');
    write('user.resdsl', 'use "./lib.resdsl"\nnetwork n {\n  input image: f32[N, 3, 8, 8]\n  bad(4)\n}\n');
    const r = frontEnd(path.join(dir, 'user.resdsl'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E0108']);
    expect(r.diagnostics[0]!.span.file).toMatch(/lib\.resdsl$/);
    const text = renderText(r.diagnostics, r.sources);
    expect(text).toContain('block bad(out) <conv3(out / 0)>');
    expect(text).toContain('  bad(4)');
  });
});

describe('errors in expanded blocks', () => {
  it('point at the line in the block and at every call site that expanded it', () => {
    const text = 'block inner(out) <conv3(out, groups = 3)>\nblock outer(out) <inner(out)>\n' + net('  outer(16)');
    const out = diagnose(text);
    expect(out).toContain('block inner(out) <conv3(out, groups = 3)>');
    expect(out).toContain('in this use of inner');
    expect(out).toContain('in this use of outer');
  });
});
