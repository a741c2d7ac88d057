/**
 * Small hand-built OnnxModel values with seeded weights, each with an input and the output the
 * reference (reference.ts) computes for it. Shared by the onnxruntime, checker and external-data
 * tests.
 */
import type { OnnxAttr, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from '../../src/onnx/model.js';
import { Rng } from '../../src/weights/rng.js';
import * as ref from './reference.js';

export interface Case {
  name: string;
  model: OnnxModel;
  /** Input values by name (one input per model). */
  input: { name: string; shape: number[]; data: Float32Array };
  expected: ref.T;
}

export const ints = (value: number[]): OnnxAttr => ({ type: 'ints', value });
export const int = (value: number): OnnxAttr => ({ type: 'int', value });
export const float = (value: number): OnnxAttr => ({ type: 'float', value });

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, OnnxAttr> = {}): OnnxNode {
  return { name: `${opType}_${outputs[0]}`, opType, domain: '', inputs, outputs, attrs, docString: `test.resdsl:1:${inputs.length}` };
}

export const vi = (name: string, shape: (number | string)[]): OnnxValueInfo => ({ name, elemType: 'float32', shape });

export function model(parts: Pick<OnnxModel, 'inputs' | 'outputs' | 'valueInfo' | 'nodes' | 'initializers'>, opset = 17): OnnxModel {
  return {
    irVersion: 8,
    opsetVersion: opset,
    producerName: 'resdsl-test',
    producerVersion: '0.1.0',
    graphName: 'test',
    docString: 'a test model',
    metadata: { 'resdsl.z': 'last', 'resdsl.a': 'first' },
    ...parts,
  };
}

/** Seeded tensors of a test: normal, or uniform in [lo, hi). */
class Weights {
  readonly rng: Rng;
  readonly list: OnnxTensor[] = [];
  readonly ref = new Map<string, ref.T>();
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }
  add(name: string, dims: number[], lo?: number, hi?: number): string {
    const data = new Float32Array(dims.reduce((p, d) => p * d, 1));
    if (lo === undefined || hi === undefined) this.rng.fillNormal(data, 0, 0.5);
    else this.rng.fillUniform(data, lo, hi);
    this.list.push({ name, dims, dataType: 'float32', data });
    this.ref.set(name, ref.tensor(dims, data));
    return name;
  }
  bn(prefix: string, c: number): string[] {
    return [
      this.add(`${prefix}.weight`, [c], 0.5, 1.5),
      this.add(`${prefix}.bias`, [c]),
      this.add(`${prefix}.running_mean`, [c]),
      this.add(`${prefix}.running_var`, [c], 0.5, 1.5),
    ];
  }
  get(name: string): ref.T {
    return this.ref.get(name)!;
  }
  input(name: string, shape: number[]): Case['input'] {
    const data = new Float32Array(shape.reduce((p, d) => p * d, 1));
    this.rng.fillNormal(data, 0, 1);
    return { name, shape, data };
  }
}

const inputRef = (i: Case['input']): ref.T => ref.tensor(i.shape, i.data);

/**
 * conv 3x3 (bias) -> batch norm -> relu -> add input -> sigmoid, batch dimension symbolic; `ch`
 * channels (at 8 the conv weight has 2304 bytes, enough to go to external data).
 */
export function convBnReluAdd(opset = 17, ch = 4): Case {
  const w = new Weights(1);
  const conv = [w.add('conv.weight', [ch, ch, 3, 3]), w.add('conv.bias', [ch])];
  const bn = w.bn('bn', ch);
  const input = w.input('x', [2, ch, 6, 6]);
  const shape = ['N', ch, 6, 6];
  const m = model({
    inputs: [vi('x', shape)],
    outputs: [vi('y', shape)],
    valueInfo: ['c', 'b', 'r', 's'].map((n) => vi(n, shape)),
    nodes: [
      node('Conv', ['x', ...conv], ['c'], { strides: ints([1, 1]), pads: ints([1, 1, 1, 1]), kernel_shape: ints([3, 3]), group: int(1) }),
      node('BatchNormalization', ['c', ...bn], ['b'], { momentum: float(0.9), epsilon: float(1e-5) }),
      node('Relu', ['b'], ['r']),
      node('Add', ['x', 'r'], ['s']),
      node('Sigmoid', ['s'], ['y']),
    ],
    initializers: w.list,
  }, opset);
  const x = inputRef(input);
  const c = ref.conv(x, w.get(conv[0]!), w.get(conv[1]!), { strides: [1, 1], pads: [1, 1, 1, 1], group: 1 });
  const [s, b, mean, v] = bn.map((n) => w.get(n)) as [ref.T, ref.T, ref.T, ref.T];
  const expected = ref.sigmoid(ref.add(x, ref.relu(ref.batchNorm(c, s, b, mean, v, 1e-5))));
  return { name: 'conv+bn+relu+add', model: m, input, expected };
}

/** Gemm with transB = 1 and explicit alpha and beta of 1. */
export function gemm(): Case {
  const w = new Weights(2);
  const p = [w.add('fc.weight', [5, 8]), w.add('fc.bias', [5])];
  const input = w.input('x', [3, 8]);
  const m = model({
    inputs: [vi('x', [3, 8])],
    outputs: [vi('y', [3, 5])],
    valueInfo: [],
    nodes: [node('Gemm', ['x', ...p], ['y'], { transB: int(1), alpha: float(1), beta: float(1) })],
    initializers: w.list,
  });
  return { name: 'gemm', model: m, input, expected: ref.gemm(inputRef(input), w.get(p[0]!), w.get(p[1]!)) };
}

/** Option-A shortcut: AveragePool kernel 1 stride 2, then Pad of the channel axis by 2 + 2. */
export function subsamplePad(opset = 17): Case {
  const w = new Weights(3);
  const input = w.input('x', [1, 4, 6, 6]);
  const pads: OnnxTensor = { name: 'pads', dims: [8], dataType: 'int64', data: BigInt64Array.from([0n, 2n, 0n, 0n, 0n, 2n, 0n, 0n]) };
  const m = model({
    inputs: [vi('x', [1, 4, 6, 6])],
    outputs: [vi('y', [1, 8, 3, 3])],
    valueInfo: [vi('a', [1, 4, 3, 3])],
    nodes: [
      node('AveragePool', ['x'], ['a'], { kernel_shape: ints([1, 1]), strides: ints([2, 2]) }),
      node('Pad', ['a', 'pads'], ['y'], { mode: { type: 'string', value: 'constant' } }),
    ],
    initializers: [pads],
  }, opset);
  const expected = ref.padChannels(ref.pool(inputRef(input), 'avg', [1, 1], [2, 2], [0, 0]), 2, 2);
  return { name: 'avgpool k1 s2 + pad channels', model: m, input, expected };
}

/** The head of a ResNet: GlobalAveragePool -> Flatten -> Gemm, batch dimension symbolic. */
export function head(): Case {
  const w = new Weights(4);
  const p = [w.add('fc.weight', [10, 8]), w.add('fc.bias', [10])];
  const input = w.input('x', [2, 8, 4, 4]);
  const m = model({
    inputs: [vi('x', ['N', 8, 4, 4])],
    outputs: [vi('y', ['N', 10])],
    valueInfo: [vi('g', ['N', 8, 1, 1]), vi('f', ['N', 8])],
    nodes: [
      node('GlobalAveragePool', ['x'], ['g']),
      node('Flatten', ['g'], ['f'], { axis: int(1) }),
      node('Gemm', ['f', ...p], ['y'], { transB: int(1) }),
    ],
    initializers: w.list,
  });
  const expected = ref.gemm(ref.flatten(ref.globalAveragePool(inputRef(input))), w.get(p[0]!), w.get(p[1]!));
  return { name: 'global average pool + flatten + gemm', model: m, input, expected };
}

/** A ResNet stem with groups: grouped conv 3x3 stride 2 (no bias) -> MaxPool 3x3 stride 2 pad 1. */
export function stem(): Case {
  const w = new Weights(5);
  const cw = w.add('stem.weight', [6, 2, 3, 3]);
  const input = w.input('x', [1, 4, 9, 9]);
  const m = model({
    inputs: [vi('x', [1, 4, 9, 9])],
    outputs: [vi('y', [1, 6, 3, 3])],
    valueInfo: [vi('c', [1, 6, 5, 5])],
    nodes: [
      node('Conv', ['x', cw], ['c'], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), kernel_shape: ints([3, 3]), group: int(2) }),
      node('MaxPool', ['c'], ['y'], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) }),
    ],
    initializers: w.list,
  });
  const c = ref.conv(inputRef(input), w.get(cw), undefined, { strides: [2, 2], pads: [1, 1, 1, 1], group: 2 });
  return { name: 'grouped conv stride 2 + maxpool', model: m, input, expected: ref.pool(c, 'max', [3, 3], [2, 2], [1, 1]) };
}

export const allCases = (): Case[] => [convBnReluAdd(), gemm(), subsamplePad(), head(), stem()];
