import { afterAll, describe, expect, it } from 'vitest';
import { dispose, type Tensor } from '../../../../src/runtime/js/index.js';
import { attrs, expectClose, init, model, node, randInt, randTensor, rng, runModel, runNode } from '../helpers.js';
import { convRef } from '../conv-ref.js';

afterAll(() => dispose());

describe('Conv', () => {
  const r = rng(7);
  const configs = Array.from({ length: 12 }, (_, i) => {
    const group = [1, 2, 3][i % 3]!;
    const cg = randInt(r, 1, 5);
    const mg = randInt(r, 1, 9);
    const kh = randInt(r, 1, 4);
    const kw = randInt(r, 1, 4);
    return {
      n: randInt(r, 1, 3), c: cg * group, m: mg * group, h: randInt(r, kh + 3, 19), w: randInt(r, kw + 3, 23), kh, kw,
      o: {
        strides: [randInt(r, 1, 3), randInt(r, 1, 2)], dilations: [randInt(r, 1, 2), randInt(r, 1, 2)], group,
        pads: [randInt(r, 0, 2), randInt(r, 0, 1), randInt(r, 0, 3), randInt(r, 0, 2)],
      },
    };
  });

  for (const [i, cfg] of configs.entries()) {
    it(`matches naive loops: case ${i} (group ${cfg.o.group}, kernel ${cfg.kh}x${cfg.kw}, batch ${cfg.n})`, () => {
      const x = randTensor(r, [cfg.n, cfg.c, cfg.h, cfg.w]);
      const w = randTensor(r, [cfg.m, cfg.c / cfg.o.group, cfg.kh, cfg.kw]);
      const b = randTensor(r, [cfg.m]);
      const want = convRef(x, w, b.data, cfg.o);
      const n = node('Conv', ['x', 'w', 'b'], ['y'], attrs({ ...cfg.o, kernel_shape: [cfg.kh, cfg.kw] }));
      for (const kernel of ['js', 'wasm'] as const) {
        expectClose(runNode(n, { x }, [init('w', w), init('b', b)], 17, { kernel }), want);
      }
      // Weights fed at run time take the unpacked path.
      expectClose(runNode(n, { x, w, b }), want);
    });
  }

  it('gives identical results on one and two threads, with both kernels', () => {
    const x = randTensor(r, [2, 16, 30, 30]);
    const w = randTensor(r, [70, 16, 3, 3]);
    const n = node('Conv', ['x', 'w'], ['y'], attrs({ pads: [1, 1, 1, 1] }));
    const want = convRef(x, w, undefined, { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 });
    for (const kernel of ['js', 'wasm'] as const) {
      const one = runNode(n, { x }, [init('w', w)], 17, { kernel, threads: 1 });
      const two = runNode(n, { x }, [init('w', w)], 17, { kernel, threads: 2 });
      expectClose(one, want);
      expect(two.data).toEqual(one.data);
    }
  });

  it('supports auto_pad SAME_UPPER, SAME_LOWER and VALID', () => {
    const x = randTensor(r, [1, 2, 7, 8]);
    const w = randTensor(r, [3, 2, 2, 3]);
    const cases: [string, number[]][] = [['SAME_UPPER', [0, 0, 1, 1]], ['SAME_LOWER', [1, 1, 0, 0]], ['VALID', [0, 0, 0, 0]]];
    for (const [autoPad, pads] of cases) {
      const want = convRef(x, w, undefined, { strides: [2, 2], pads, dilations: [1, 1], group: 1 });
      const got = runNode(node('Conv', ['x', 'w'], ['y'], attrs({ auto_pad: autoPad, strides: [2, 2] })), { x }, [init('w', w)]);
      expectClose(got, want);
    }
  });

  it('runs 1-d convolutions as 2-d ones of height 1', () => {
    const x = randTensor(r, [2, 3, 17]);
    const w = randTensor(r, [4, 3, 5]);
    const want = convRef({ dims: [2, 3, 1, 17], data: x.data }, { dims: [4, 3, 1, 5], data: w.data }, undefined,
      { strides: [1, 2], pads: [0, 2, 0, 1], dilations: [1, 2], group: 1 });
    const got = runNode(node('Conv', ['x', 'w'], ['y'], attrs({ strides: [2], pads: [2, 1], dilations: [2] })), { x }, [init('w', w)]);
    expectClose(got, { dims: [2, 4, want.dims[3]!], data: want.data });
  });

  it('fuses BatchNormalization, a residual Add and Relu without changing results', () => {
    const x = randTensor(r, [2, 8, 9, 9]);
    const w = randTensor(r, [8, 8, 3, 3]);
    const bn = [randTensor(r, [8]), randTensor(r, [8]), randTensor(r, [8]), { dims: [8], data: randTensor(r, [8]).data.map((v) => v + 1.5) }];
    const inits = [init('w', w), ...['s', 'bb', 'mu', 'var'].map((n, i) => init(n, bn[i]!))];
    const nodes = [
      node('Conv', ['x', 'w'], ['c'], attrs({ pads: [1, 1, 1, 1] })),
      node('BatchNormalization', ['c', 's', 'bb', 'mu', 'var'], ['n'], attrs({ epsilon: 0.001 })),
      node('Add', ['n', 'x'], ['a']),
      node('Relu', ['a'], ['y']),
    ];
    const conv = convRef(x, w, undefined, { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 });
    const want = new Float32Array(conv.data.length);
    const plane = 81;
    for (let i = 0; i < want.length; i++) {
      const ch = Math.floor(i / plane) % 8;
      const v = (conv.data[i]! - bn[2]!.data[ch]!) / Math.sqrt(bn[3]!.data[ch]! + 0.001) * bn[0]!.data[ch]! + bn[1]!.data[ch]!;
      want[i] = Math.max(0, v + x.data[i]!);
    }
    const got = runModel(model({ inputs: { x: ['N', 8, 9, 9] }, outputs: ['y'], nodes, initializers: inits }), { x });
    expectClose(got['y']!, { dims: conv.dims, data: want });
  });

  it('applies a broadcast residual after the product', () => {
    const x = randTensor(r, [1, 2, 5, 5]);
    const w = randTensor(r, [3, 2, 1, 1]);
    const bias = randTensor(r, [1, 3, 1, 1]);
    const nodes = [node('Conv', ['x', 'w'], ['c']), node('Add', ['c', 'b'], ['a']), node('Relu', ['a'], ['y'])];
    const conv = convRef(x, w, undefined, { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1 });
    const want = conv.data.map((v, i) => Math.max(0, v + bias.data[Math.floor(i / 25)]!));
    const got = runModel(model({ inputs: { x: [1, 2, 5, 5] }, outputs: ['y'], nodes, initializers: [init('w', w), init('b', bias)] }), { x });
    expectClose(got['y']!, { dims: conv.dims, data: want });
  });
});
