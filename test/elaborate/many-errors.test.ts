/**
 * Every mistake at once: independent errors are all reported in one run (elaboration goes on after
 * each, and every block is checked for names and keyword arguments whether a network uses it or
 * not), each once, with the closest known name; names that are JavaScript object properties are
 * names like any other.
 */
import { describe, expect, it } from 'vitest';
import { checkText, codes, diagnose } from '../helpers/front.js';

const messages = (text: string) => checkText(text).diagnostics.map((d) => `${d.code} ${d.message}${d.help ? ` | ${d.help}` : ''}`);

describe('many errors in one run', () => {
  it('reports four independent mistakes and an unused block holding an unknown layer, each once', () => {
    const text = `
block unused(out) {
  <conv3(strid = 2); bn; rleu>
}
block used(out, stride = 1) <conv3(stride = stride, gruops = 1); bn; relu>
network n {
  input img: f32[N, 3, 16, 16]
  used(16, strde = 2)
  conv3(8, bais = true)
  relu
  used(8) x 3
}
`;
    expect(messages(text)).toEqual([
      'E0104 conv3 has no argument named strid | conv3 has an argument named `stride` (it takes out, stride, pad, dilation, groups, bias)',
      'E0101 unknown layer or block rleu | a similar name exists: `relu`',
      'E0104 conv3 has no argument named gruops | conv3 has an argument named `groups` (it takes out, stride, pad, dilation, groups, bias)',
      'E0104 used has no parameter named strde | used has a parameter named `stride` (it takes out, stride)',
      'E0104 conv3 has no argument named bais | conv3 has an argument named `bias` (it takes out, stride, pad, dilation, groups, bias)',
    ]);
  });

  it('goes on after a shape error, silencing only what follows from it', () => {
    const text = `
network n {
  input img: f32[N, 3, 8, 8]
  fc(10)
  conv3(8, stride = 0)
  relu
}
network m {
  input img: f32[N, 3, 8, 8]
  conv3(8, groups = 3)
}
`;
    expect(codes(text)).toEqual(['E0205', 'E0109', 'E0204']);
  });

  it('reports a mistake in a block used many times once, at the block, with the first use', () => {
    const text = `block b(out) <conv3(out, stride = 0)>\nnetwork n {\n  input img: f32[N, 3, 8, 8]\n  s: b(8) x 4\n  b(8)\n}\n`;
    const r = checkText(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E0109']);
    expect(r.diagnostics[0]!.labels.map((l) => l.message)).toEqual(['in this use of b']);
  });

  it('suggests the closest layer, block, network and argument names', () => {
    expect(messages('block basic(out) <conv3; bn>\nnetwork n {\n  input img: f32[N, 3, 8, 8]\n  basci(8)\n  gaap\n}\nnetwork d = nn(3)\n')).toEqual([
      'E0101 unknown layer or block basci | a similar name exists: `basic`',
      'E0101 unknown layer or block gaap | a similar name exists: `gap`',
      'E0101 unknown network nn',
    ]);
  });

  it('notes a generic network that no network is defined from (its names are checked, its shapes are not)', () => {
    const r = checkText('network g(blk, n) {\n  input img: f32[N, 3, 8, 8]\n  blk(8) x n\n  fc(10, bais = true)\n}\n');
    expect(r.diagnostics.map((d) => [d.severity, d.code]).sort()).toEqual([
      ['error', 'E0104'],
      ['note', 'N0001'],
    ]);
  });
});

describe('names that are JavaScript object properties', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf']) {
    it(`${name}: an unknown layer, a block, a label, a parameter and a network name like any other`, () => {
      expect(codes(`network n {\n  input img: f32[N, 3, 8, 8]\n  conv3(4); ${name}\n}\n`)).toEqual(['E0101']);
      const ok = `block ${name}(out, ${name}_k = 1) <conv3(out, stride = ${name}_k)>
network ${name}_net {
  input img: f32[N, 3, 8, 8]
  ${name}: ${name}(4)
  output ${name}2 = ${name}
}
`;
      expect(diagnose(ok)).toBe('');
      expect(checkText(ok).networks[0]!.graph.params.has(`${name}.conv1.weight`)).toBe(true);
    });
  }
});
