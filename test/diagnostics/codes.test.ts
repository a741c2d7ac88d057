/**
 * Every diagnostic code of src/diagnostics/codes.ts means one thing and is emitted by a case here:
 * the smallest input that provokes it (a source text, a file, a model), so that a code nobody can
 * produce any more is noticed, and each code's one meaning is written down next to its trigger.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { codes } from '../../src/diagnostics/codes.js';
import { readNpy } from '../../src/io/npy.js';
import { readSafetensors, writeSafetensors } from '../../src/io/safetensors.js';
import { nodeHost } from '../../src/node/host.js';
import { decodeModel } from '../../src/onnx/read.js';
import { frontEnd, runPipeline } from '../../src/pipeline/index.js';
import { memoryHost } from '../../src/program/host.js';
import { prepare, run, RunError } from '../../src/runtime/js/index.js';
import { runModel } from '../../src/runtime/run-model.js';
import { parseSource } from '../../src/parser/parse.js';
import { emitPyTorch } from '../../src/pytorch/index.js';
import { attrs, model, node } from '../runtime/js/helpers.js';

const net = (body: string, input = 'f32[N, 3, 8, 8]') => `network n {\n  input img: ${input}\n${body}\n}\n`;

/** The codes a source text gives, through the pipeline up to `expect`. */
function source(text: string, opts: { network?: string } = {}): Diagnostic[] {
  return frontEnd('test.resdsl', { host: nodeHost, shortcut: 'B', expectations: true, text, ...opts }).diagnostics;
}

function files(root: string, all: Record<string, string>): Diagnostic[] {
  return frontEnd(root, { host: memoryHost(new Map(Object.entries(all))), shortcut: 'B', expectations: true }).diagnostics;
}

const failure = (r: { ok: boolean; error?: Diagnostic }) => (r.ok ? [] : [r.error!]);

const smallWeights = () => {
  const text = net('  conv3(4)');
  const bytes = writeSafetensors(new Map([['conv1.weight', { shape: [4, 3, 3, 2], data: new Float32Array(72) }]]));
  return runPipeline('test.resdsl', 'weights', { host: nodeHost, shortcut: 'B', text, weights: { file: 'w.safetensors', bytes } }).diagnostics;
};

const triggers: Record<keyof typeof codes, () => Diagnostic[] | Promise<Diagnostic[]>> = {
  W0601: () => frontEnd('test.resdsl', { host: nodeHost, shortcut: 'C', shortcutGiven: true, text: net('  <conv3(3); bn> + shortcut(A)') }).diagnostics,
  N0001: () => source('network g(n) {\n  input img: f32[N, 3, 8, 8]\n  conv3(4) x n\n}\n'),
  E0001: () => source(net('  conv3(4) @')),
  E0002: () => source('block b('),
  E0003: () => source('use "./blocks'),
  E0004: () => source(net('  conv3(1__0)')),
  E0005: () => parseSource('#'.repeat(1024 * 1024 + 1), 'big.resdsl').diagnostics,
  E0006: () => source('network n {\0}'),
  E0101: () => source(net('  conv3(4); rleu')),
  E0102: () => source('block b(out) relu\nblock b(out) relu'),
  E0103: () => source(net('  relu(1)')),
  E0104: () => source(net('  conv3(4, strid = 2)')),
  E0105: () => source(net('  conv3(4, stride = 1, stride = 2)')),
  E0106: () => source(`block b(out, k) conv(k = k)\n${net('  b(4)')}`),
  E0107: () => source(net('  conv3(4, bias = 1)')),
  E0108: () => source(net('  conv3(4 // 0)')),
  E0109: () => source(net('  conv3(4, stride = 0)')),
  E0110: () => source(net('  conv3')),
  E0111: () => source(net('  s: conv3(4)\n  s: conv3(4)')),
  E0112: () => source(net('  conv3(4)'), { network: 'other' }),
  E0113: () => source('network n {\n  conv3(4)\n}\n'),
  E0114: () => source(`block b(in, out) conv3(out)\n${net('  b(4, 8)')}`),
  E0115: () => source(net('  conv3(9007199254740993)')),
  E0116: () => source(net('  conv3(4)\n  output y = nothing')),
  E0117: () => source('network g(n) {\n  input img: f32[N, 3, 8, 8]\n  conv3(4) x n\n}\n', { network: 'g' }),
  E0118: () => source(`block b(out) {\n  input x2: f32[N, 3, 8, 8]\n  conv3\n}\n${net('  b(8)')}`),
  E0119: () => source('block b(out) relu\nnetwork d = b(3)\n'),
  E0120: () => source(`network g(c = 4) {\n  input img: f32[N, 3, 8, 8]\n  conv3(c)\n}\nnetwork d = g(8) {\n  relu\n}\n`),
  E0121: () => source(net('  conv3(4)\n  input again: f32[N, 3, 8, 8]')),
  E0201: () => source(net('  <conv3(4, stride = 2)> + identity')),
  E0203: () => source(net('  maxpool(k = 3, stride = 1)', 'f32[N, 3, 2, 2]')),
  E0204: () => source(net('  conv3(16, groups = 5)')),
  E0205: () => source(net('  fc(10)')),
  E0206: () => source(net('  conv3(4)', 'f32[N, 3, H, 8]')),
  E0207: () => source(net('  <conv3(4)> * <conv3(4, stride = 2)>')),
  E0301: () => source(net('  conv3(4)\n  expect params == 1')),
  E0302: () => source(net('  conv3(4)\n  expect macs == 1')),
  E0303: () => source(net('  conv3(4)\n  expect output == f32[N, 5, 8, 8]')),
  E0401: () => source(net('  relu x 100001')),
  E0402: () => source(`network n { ${'<'.repeat(80)}${'>'.repeat(80)} }`),
  E0403: () => source(`block loop(out) loop(out)\n${net('  loop(4)')}`),
  E0404: () => source(net('  conv3(100000)', 'f32[N, 3, 1000, 1000]')),
  E0405: () => source(net('  relu x 100000\n  relu x 100000\n  relu x 100000\n  relu x 100000')),
  E0406: () => source(net('  conv(65536, k = 11) x 100', 'f32[N, 65536, 1, 1]')),
  E0501: () => source(`use "./no-such-file.resdsl"\n${net('  relu')}`),
  E0502: () => source(`use std/no_such_module\n${net('  relu')}`),
  E0503: () => files('a.resdsl', { 'a.resdsl': 'use "./b.resdsl"', 'b.resdsl': 'use "./a.resdsl"' }),
  E0504: () => source(`use "./test"\n${net('  relu')}`),
  E0601: () => source(net('  <conv3(4, pad = 0)> + shortcut')),
  E0701: () => failure(readSafetensors(new Uint8Array([1, 2, 3]), 'w.safetensors')),
  E0702: smallWeights,
  E0703: () => failure(readNpy(new Uint8Array([1, 2, 3]))),
  E0704: () => {
    const p = prepare(model({ inputs: { x: [1, 2] }, outputs: ['y'], nodes: [node('Relu', ['x'], ['y'])] }));
    if (!p.ok) return [p.error];
    try {
      run(p.value, new Map([['x', { dims: [1, 3], data: new Float32Array(3) }]]));
    } catch (e) {
      if (e instanceof RunError) return [{ code: e.code, severity: 'error', message: e.message, labels: [], notes: [] }];
      throw e;
    }
    return [];
  },
  E0801: () => failure(decodeModel(new Uint8Array([0xff, 0xff, 0xff]))),
  E0802: () => failure(prepare(model({ inputs: { x: [1, 2] }, outputs: ['y'], nodes: [node('LSTM', ['x'], ['y'])] }))),
  E0803: () => failure(prepare(model({ inputs: { x: [1, 2] }, outputs: ['y'], nodes: [node('Relu', ['x'], ['y'], attrs({ alpha: 'x' }))] }))),
  E0804: async () =>
    failure(await runModel(model({ inputs: { x: [1, 2] }, outputs: ['y'], nodes: [node('Frobnicate', ['x'], ['y'])] }), { dims: [1, 2], data: new Float32Array(2) }, { runtime: 'ort', threads: 1, repeat: 0 })),
  E0901: () => emitPyTorch('test.resdsl', { host: nodeHost, shortcut: 'B', text: `block b(out) {\n  relu x 2\n}\n${net('  b(4)')}` }).diagnostics,
};

describe('every diagnostic code', () => {
  it('has a trigger here, and every trigger is a code', () => {
    expect(Object.keys(triggers).sort()).toEqual(Object.keys(codes).sort());
  });

  for (const [code, trigger] of Object.entries(triggers)) {
    it(`${code}: ${codes[code as keyof typeof codes]}`, async () => {
      expect((await trigger()).map((d) => d.code)).toContain(code);
    });
  }
});
