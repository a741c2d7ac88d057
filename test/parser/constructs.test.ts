/** Every construct of grammar/resdsl.ebnf, checked on the AST it gives (spans left out here). */
import { describe, expect, it } from 'vitest';
import { blockBody, exprOf, layerOf, noSpans, parseOk } from './helpers.js';

const I = (name: string) => ({ kind: 'Ident', name });
const call = (name: string, args: unknown[] | null = null) => ({ kind: 'Call', callee: I(name), args });
const L = (term: unknown, label?: string) => (label ? { kind: 'Layer', label: I(label), term } : { kind: 'Layer', term });
const sum = (...operands: unknown[]) => ({ kind: 'Combination', op: '+', operands });
const product = (...operands: unknown[]) => ({ kind: 'Combination', op: '*', operands });
const int = (value: number) => ({ kind: 'Int', value, exact: true });
const name = (n: string) => ({ kind: 'Name', name: n });
const arg = (value: unknown, n?: string) => (n ? { kind: 'Arg', name: I(n), value } : { kind: 'Arg', value });

describe('items', () => {
  it('use: a quoted file path and a std module', () => {
    const ast = parseOk('use "./blocks.resdsl"\nuse std/resnet\nuse std/a/b\nuse "q\\"x"');
    expect(noSpans(ast.items)).toEqual([
      { kind: 'Use', path: './blocks.resdsl', isStd: false },
      { kind: 'Use', path: 'resnet', isStd: true },
      { kind: 'Use', path: 'a/b', isStd: true },
      { kind: 'Use', path: 'q"x', isStd: false },
    ]);
  });

  it('block: params with defaults and a trailing comma, empty params', () => {
    const ast = parseOk('block b(out, stride = 1,) relu\nblock e() relu');
    expect(noSpans(ast.items)).toEqual([
      {
        kind: 'Block', name: I('b'),
        params: [{ kind: 'Param', name: I('out') }, { kind: 'Param', name: I('stride'), default: int(1) }],
        body: [L(call('relu'))],
      },
      { kind: 'Block', name: I('e'), params: [], body: [L(call('relu'))] },
    ]);
  });

  it('block bodies: braces with statements, `=`, and a bare layer', () => {
    expect(noSpans(blockBody('block b(out) {\n  <conv3; bn> + shortcut\n  relu\n}'))).toEqual([
      L(sum(L({ kind: 'Path', items: [L(call('conv3')), L(call('bn'))] }), L(call('shortcut')))),
      L(call('relu')),
    ]);
    expect(noSpans(blockBody('block b(out) =\n  relu'))).toEqual([L(call('relu'))]);
    expect(noSpans(blockBody('block b(out) {}'))).toEqual([]);
  });

  it('network: parametrized, plain, and derived from a generic one', () => {
    const ast = parseOk(`
      network resnet(blk, n1, classes = 1000) { relu }
      network tiny { relu; }
      network r18 = resnet(basic, 2)
      network r50 = resnet(bottleneck(groups = 32), 3) { expect params == 5 }
      network alias = resnet`);
    const [a, b, c, d, e] = ast.items;
    expect(noSpans(a)).toMatchObject({ kind: 'Network', name: I('resnet'), body: [L(call('relu'))] });
    expect(a?.kind === 'Network' && a.params.map((p) => p.name.name)).toEqual(['blk', 'n1', 'classes']);
    expect(noSpans(b)).toEqual({ kind: 'Network', name: I('tiny'), params: [], body: [L(call('relu'))] });
    expect(noSpans(c)).toEqual({
      kind: 'Network', name: I('r18'), params: [], body: [],
      base: { kind: 'CallExpr', callee: I('resnet'), args: [arg(name('basic')), arg(int(2))] },
    });
    expect(noSpans(d)).toMatchObject({
      base: { callee: I('resnet'), args: [arg({ kind: 'CallExpr', callee: I('bottleneck'), args: [arg(int(32), 'groups')] }), arg(int(3))] },
      body: [{ kind: 'Expect', what: 'params', value: int(5) }],
    });
    expect(noSpans(e)).toMatchObject({ base: { kind: 'CallExpr', callee: I('resnet'), args: [] } });
  });

  it('an empty file, or only comments, has no items', () => {
    expect(parseOk('').items).toEqual([]);
    expect(parseOk('# nothing here\n   # still nothing').items).toEqual([]);
  });
});

describe('statements', () => {
  const net = (body: string) => {
    const item = parseOk(`network n { ${body} }`).items[0];
    if (item?.kind !== 'Network') throw new Error('expected a network');
    return noSpans(item.body);
  };

  it('input with a tensor type', () => {
    expect(net('input image: f32[N, 3, 224, 224]')).toEqual([{
      kind: 'Input', name: I('image'),
      type: { kind: 'Type', dtype: I('f32'), dims: [name('N'), int(3), int(224), int(224)] },
    }]);
  });

  it('output of the current tensor and of a labelled layer', () => {
    expect(net('output logits; output y = feats')).toEqual([
      { kind: 'Output', name: I('logits') },
      { kind: 'Output', name: I('y'), source: I('feats') },
    ]);
  });

  it('the four expect forms', () => {
    expect(net('expect params == 25_028_904 expect macs == 4_230_479_872\nexpect output == f32[N, 1000]\nexpect output logits == f32[N]')).toEqual([
      { kind: 'Expect', what: 'params', value: int(25028904) },
      { kind: 'Expect', what: 'macs', value: int(4230479872) },
      { kind: 'Expect', what: 'output', type: { kind: 'Type', dtype: I('f32'), dims: [name('N'), int(1000)] } },
      { kind: 'Expect', what: 'output', output: I('logits'), type: { kind: 'Type', dtype: I('f32'), dims: [name('N')] } },
    ]);
  });

  it('labelled layers, with and without semicolons, over several lines', () => {
    expect(net('conv1: conv7(64, stride = 2); bn\nrelu layer1: blk(64) x n1')).toEqual([
      L(call('conv7', [arg(int(64)), arg(int(2), 'stride')]), 'conv1'),
      L(call('bn')),
      L(call('relu')),
      L({ kind: 'Repeat', body: call('blk', [arg(int(64))]), count: name('n1') }, 'layer1'),
    ]);
  });
});

describe('layers', () => {
  it('a call without parentheses has null args; with empty parentheses, []', () => {
    expect(noSpans(layerOf('relu'))).toEqual(call('relu'));
    expect(noSpans(layerOf('relu()'))).toEqual(call('relu', []));
  });

  it('arguments: positional, named, trailing comma', () => {
    expect(noSpans(layerOf('conv3(width, stride = stride, groups = 2,)'))).toEqual(
      call('conv3', [arg(name('width')), arg(name('stride'), 'stride'), arg(int(2), 'groups')]),
    );
  });

  it('residual with labelled operands (the first one too), and with three operands', () => {
    expect(noSpans(layerOf('<conv3> + extra: <conv1; bn>'))).toEqual(
      sum(L({ kind: 'Path', items: [L(call('conv3'))] }), L({ kind: 'Path', items: [L(call('conv1')), L(call('bn'))] }, 'extra')),
    );
    expect(noSpans(layerOf('f: <conv3> + proj: shortcut'))).toEqual(sum(L({ kind: 'Path', items: [L(call('conv3'))] }, 'f'), L(call('shortcut'), 'proj')));
    expect(noSpans(layerOf('a + identity + shortcut(A)'))).toEqual(sum(L(call('a')), L(call('identity')), L(call('shortcut', [arg(name('A'))]))));
  });

  it('products bind tighter than sums: a squeeze-and-excitation gate in a residual', () => {
    expect(noSpans(layerOf('<conv3> * gate + identity'))).toEqual(sum(L(product(L({ kind: 'Path', items: [L(call('conv3'))] }), L(call('gate')))), L(call('identity'))));
    expect(noSpans(layerOf('identity * <gap; fc1: conv1(8)>'))).toEqual(
      product(L(call('identity')), L({ kind: 'Path', items: [L(call('gap')), L(call('conv1', [arg(int(8))]), 'fc1')] })),
    );
  });

  it('conditional operands and items: `if`, `if ... else`, chained', () => {
    const when = (cond: unknown, otherwise?: unknown) => (otherwise ? { cond, otherwise } : { cond });
    expect(noSpans(layerOf('<conv3> + identity if stride == 1 and in == out'))).toEqual(
      sum(L({ kind: 'Path', items: [L(call('conv3'))] }), {
        ...L(call('identity')),
        when: when({
          kind: 'Logical', op: 'and',
          left: { kind: 'Compare', op: '==', left: name('stride'), right: int(1) },
          right: { kind: 'Compare', op: '==', left: name('in'), right: name('out') },
        }),
      }),
    );
    expect(noSpans(layerOf('<e: conv1(h) if h != a; relu>'))).toEqual({
      kind: 'Path',
      items: [{ ...L(call('conv1', [arg(name('h'))]), 'e'), when: when({ kind: 'Compare', op: '!=', left: name('h'), right: name('a') }) }, L(call('relu'))],
    });
    expect(noSpans(blockBody('block b(a) = a if not u else b if y else c')[0])).toEqual({
      ...L(call('a')),
      when: when({ kind: 'Unary', op: 'not', operand: name('u') }, { ...L(call('b')), when: when(name('y'), L(call('c'))) }),
    });
  });

  it('in a condition, < and > compare before a number and close or open paths otherwise', () => {
    expect(noSpans(layerOf('<conv3 if n > 2>'))).toEqual({
      kind: 'Path', items: [{ ...L(call('conv3')), when: { cond: { kind: 'Compare', op: '>', left: name('n'), right: int(2) } } }],
    });
    expect(noSpans(blockBody('block b(a) {\n  relu if a\n  <conv3>\n}'))).toEqual([
      { ...L(call('relu')), when: { cond: name('a') } },
      L({ kind: 'Path', items: [L(call('conv3'))] }),
    ]);
    expect(noSpans(blockBody('block b(a) = relu if (a < b)')[0])).toMatchObject({ when: { cond: { kind: 'Compare', op: '<' } } });
  });

  it('in a condition, + and * join layers; arithmetic in parentheses stays in the condition', () => {
    const three = noSpans(layerOf('<a> + identity if (2 < 1) + <b>')) as { operands: { when?: unknown }[] };
    expect(three).toMatchObject({ kind: 'Combination', op: '+' });
    expect(three.operands).toHaveLength(3);
    expect(three.operands[1]).toMatchObject({ when: { cond: { kind: 'Compare', op: '<' } } });
    expect(noSpans(layerOf('a + b if c * <g>'))).toMatchObject({ kind: 'Combination', op: '+', operands: [{}, { kind: 'Layer', term: { kind: 'Combination', op: '*' } }] });
    expect(noSpans(layerOf('a + b if (n + 1 > 2)'))).toMatchObject({
      operands: [{}, { when: { cond: { kind: 'Compare', op: '>', left: { kind: 'Binary', op: '+' } } } }],
    });
  });

  it('template labels with holes, and a repetition index', () => {
    expect(noSpans(blockBody('block b(a) = "block{s}-{i}": blk(8) x n as i')[0])).toEqual({
      kind: 'Layer',
      label: { kind: 'Template', parts: ['block', I('s'), '-', I('i')] },
      term: { kind: 'Repeat', body: call('blk', [arg(int(8))]), count: name('n'), index: I('i') },
    });
  });

  it('repetition counts: integer, name, parenthesized expression; with first', () => {
    expect(noSpans(layerOf('basic(64) x 2'))).toEqual({ kind: 'Repeat', body: call('basic', [arg(int(64))]), count: int(2) });
    expect(noSpans(layerOf('<a; b> x (n3 - 1)'))).toEqual({
      kind: 'Repeat',
      body: { kind: 'Path', items: [L(call('a')), L(call('b'))] },
      count: { kind: 'Binary', op: '-', left: name('n3'), right: int(1) },
    });
    expect(noSpans(layerOf('blk(128) x n2 with first(stride = 2, out = 4)'))).toEqual({
      kind: 'Repeat', body: call('blk', [arg(int(128))]), count: name('n2'),
      first: { args: [arg(int(2), 'stride'), arg(int(4), 'out')] },
    });
  });

  it('a repetition as a residual operand, and nested paths with labels inside', () => {
    expect(noSpans(layerOf('<s: <a; b> x 2; relu> + shortcut x 1'))).toEqual(
      sum(
        L({ kind: 'Path', items: [
          L({ kind: 'Repeat', body: { kind: 'Path', items: [L(call('a')), L(call('b'))] }, count: int(2) }, 's'),
          L(call('relu')),
        ] }),
        L({ kind: 'Repeat', body: call('shortcut'), count: int(1) }),
      ),
    );
  });

  it('a labelled layer inside a path, and an empty path', () => {
    expect(noSpans(layerOf('<downsample: <conv1; bn>>'))).toEqual({
      kind: 'Path', items: [L({ kind: 'Path', items: [L(call('conv1')), L(call('bn'))] }, 'downsample')],
    });
    expect(noSpans(layerOf('<>'))).toEqual({ kind: 'Path', items: [] });
  });
});

describe('expressions', () => {
  const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'Binary', op, left, right });

  it('precedence and left associativity', () => {
    expect(noSpans(exprOf('planes * base_width / 64 * groups'))).toEqual(
      bin('*', bin('/', bin('*', name('planes'), name('base_width')), int(64)), name('groups')),
    );
    expect(noSpans(exprOf('a + b * c - d % e'))).toEqual(
      bin('-', bin('+', name('a'), bin('*', name('b'), name('c'))), bin('%', name('d'), name('e'))),
    );
    expect(noSpans(exprOf('(a + b) * c'))).toEqual(bin('*', bin('+', name('a'), name('b')), name('c')));
  });

  it('true and floor division, comparisons, and / or / not with their precedence', () => {
    const cmp = (op: string, left: unknown, right: unknown) => ({ kind: 'Compare', op, left, right });
    expect(noSpans(exprOf('a // 4 / 2'))).toEqual(bin('/', bin('//', name('a'), int(4)), int(2)));
    expect(noSpans(exprOf('not a == 1 or b < c and d >= 2'))).toEqual({
      kind: 'Logical', op: 'or',
      left: { kind: 'Unary', op: 'not', operand: cmp('==', name('a'), int(1)) },
      right: { kind: 'Logical', op: 'and', left: cmp('<', name('b'), name('c')), right: cmp('>=', name('d'), int(2)) },
    });
    expect(noSpans(exprOf('make_divisible(c * 0.25, 8)'))).toEqual({
      kind: 'CallExpr', callee: I('make_divisible'), args: [arg(bin('*', name('c'), { kind: 'Float', value: 0.25 })), arg(int(8))],
    });
  });

  it('unary minus, floats, booleans, calls', () => {
    expect(noSpans(exprOf('-a * 2'))).toEqual(bin('*', { kind: 'Unary', op: '-', operand: name('a') }, int(2)));
    expect(noSpans(exprOf('1e-5'))).toEqual({ kind: 'Float', value: 1e-5 });
    expect(noSpans(exprOf('0.5'))).toEqual({ kind: 'Float', value: 0.5 });
    expect(noSpans(exprOf('1_000.25E+2'))).toEqual({ kind: 'Float', value: 100025 });
    expect(noSpans(exprOf('true'))).toEqual({ kind: 'Bool', value: true });
    expect(noSpans(exprOf('false'))).toEqual({ kind: 'Bool', value: false });
    expect(noSpans(exprOf('bottleneck(groups = 32, 4)'))).toEqual({
      kind: 'CallExpr', callee: I('bottleneck'), args: [arg(int(32), 'groups'), arg(int(4))],
    });
    expect(noSpans(exprOf('f()'))).toEqual({ kind: 'CallExpr', callee: I('f'), args: [] });
  });

  it('integer literals: separators removed, exact up to 2^53 - 1', () => {
    expect(noSpans(exprOf('25_557_032'))).toEqual(int(25557032));
    expect(noSpans(exprOf('9007199254740991'))).toEqual(int(9007199254740991));
    expect(noSpans(exprOf('9007199254740992'))).toEqual({ kind: 'Int', value: 9007199254740992, exact: false });
    expect(noSpans(exprOf('1' + '0'.repeat(400)))).toEqual({ kind: 'Int', value: Infinity, exact: false });
  });

  it('an empty shape is allowed', () => {
    const item = parseOk('network n { input s: f32[] }').items[0];
    expect(item?.kind === 'Network' && noSpans(item.body[0])).toEqual({
      kind: 'Input', name: I('s'), type: { kind: 'Type', dtype: I('f32'), dims: [] },
    });
  });
});

describe('lexical details', () => {
  it('keywords need whole words: x0, blocks, inputs, first_, iff, nothing are names', () => {
    expect(noSpans(layerOf('x0 + blocks + inputs + first_ + xx + iff + nothing + ask'))).toMatchObject({
      operands: ['x0', 'blocks', 'inputs', 'first_', 'xx', 'iff', 'nothing', 'ask'].map((n) => ({ term: call(n) })),
    });
  });

  it('comments run to the end of the line; CRLF and tabs are whitespace', () => {
    const ast = parseOk('# head\r\nblock b(a)\t# trailing\r\n  <conv3 # inside a path\r\n ; bn>\r\n');
    expect(noSpans(ast.items[0])).toMatchObject({ body: [L({ kind: 'Path', items: [L(call('conv3')), L(call('bn'))] })] });
  });
});
