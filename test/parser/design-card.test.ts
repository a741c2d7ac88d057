import { describe, expect, it } from 'vitest';
import { parseOk, FILE } from './helpers.js';

const sp = (start: number, end: number) => ({ file: FILE, start, end });
const id = (name: string, start: number) => ({ kind: 'Ident', name, span: sp(start, start + name.length) });
const call = (name: string, start: number) => ({
  kind: 'Layer',
  span: sp(start, start + name.length),
  term: { kind: 'Call', span: sp(start, start + name.length), callee: id(name, start), args: null },
});

describe('the design card line', () => {
  it('parses verbatim to the expected AST, spans included', () => {
    const src = 'block res(in,out)<conv3;bn;relu;conv3;bn> + shortcut';
    expect(parseOk(src)).toEqual({
      kind: 'File',
      span: sp(0, 52),
      items: [
        {
          kind: 'Block',
          span: sp(0, 52),
          name: id('res', 6),
          params: [
            { kind: 'Param', span: sp(10, 12), name: id('in', 10) },
            { kind: 'Param', span: sp(13, 16), name: id('out', 13) },
          ],
          body: [
            {
              kind: 'Layer',
              span: sp(17, 52),
              term: {
                kind: 'Combination',
                span: sp(17, 52),
                op: '+',
                operands: [
                  {
                    kind: 'Layer',
                    span: sp(17, 41),
                    term: {
                      kind: 'Path',
                      span: sp(17, 41),
                      items: [call('conv3', 18), call('bn', 24), call('relu', 27), call('conv3', 32), call('bn', 38)],
                    },
                  },
                  {
                    kind: 'Layer',
                    span: sp(44, 52),
                    term: { kind: 'Call', span: sp(44, 52), callee: id('shortcut', 44), args: null },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('means the same written with `=` or braces', () => {
    const bare = parseOk('block res(in,out)<conv3;bn;relu;conv3;bn> + shortcut').items[0];
    const eq = parseOk('block res(in,out) = <conv3;bn;relu;conv3;bn> + shortcut').items[0];
    const braces = parseOk('block res(in,out) { <conv3;bn;relu;conv3;bn> + shortcut }').items[0];
    const strip = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'span' ? undefined : x)));
    expect(strip(eq)).toEqual(strip(bare));
    expect(strip(braces)).toEqual(strip(bare));
  });
});
