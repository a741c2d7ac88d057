/**
 * Shared test helpers: a seeded random source, small in-memory ONNX models of one or a few nodes,
 * running them through prepare/run, and comparing float arrays.
 */
import { expect } from 'vitest';
import type { OnnxAttr, OnnxModel, OnnxNode, OnnxTensor } from '../../../src/onnx/model.js';
import { dispose, prepare, run, type PrepareOptions, type Tensor, type Value } from '../../../src/runtime/js/index.js';
import { Rng } from '../../../src/weights/rng.js';
import { nodeExecutorHost } from '../../../src/node/executor-host.js';

/** Floats in [0, 1) from the project's seeded generator. */
export function rng(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.nextFloat();
}

export function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** Uniform in [-scale, scale), from `r`. */
export function randTensor(r: () => number, dims: number[], scale = 1): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (r() * 2 - 1) * scale;
  return { dims, data };
}

export function init(name: string, t: Tensor): OnnxTensor {
  return { name, dims: t.dims, dataType: 'float32', data: t.data };
}

export function int64(name: string, values: number[]): OnnxTensor {
  return { name, dims: [values.length], dataType: 'int64', data: BigInt64Array.from(values, (v) => BigInt(v)) };
}

/** Attributes from plain values: integers become ints, other numbers floats, strings strings. */
export function attrs(a: Record<string, number | number[] | string | OnnxTensor>): Record<string, OnnxAttr> {
  const out: Record<string, OnnxAttr> = {};
  for (const [k, v] of Object.entries(a)) {
    if (typeof v === 'string') out[k] = { type: 'string', value: v };
    else if (typeof v === 'number') out[k] = Number.isInteger(v) ? { type: 'int', value: v } : { type: 'float', value: v };
    else if (Array.isArray(v)) out[k] = { type: 'ints', value: v };
    else out[k] = { type: 'tensor', value: v };
  }
  return out;
}

export function node(opType: string, inputs: string[], outputs: string[], a: Record<string, OnnxAttr> = {}, name = ''): OnnxNode {
  return { name, opType, domain: '', inputs, outputs, attrs: a };
}

export interface ModelSpec {
  inputs: Record<string, (number | string)[]>;
  outputs: string[];
  nodes: OnnxNode[];
  initializers?: OnnxTensor[];
  opset?: number;
}

export function model(spec: ModelSpec): OnnxModel {
  return {
    irVersion: 8, opsetVersion: spec.opset ?? 17, producerName: 'test', producerVersion: '0', graphName: 'g', metadata: {},
    inputs: Object.entries(spec.inputs).map(([name, shape]) => ({ name, elemType: 'float32', shape })),
    outputs: spec.outputs.map((name) => ({ name, elemType: 'float32', shape: [] })),
    valueInfo: [], nodes: spec.nodes, initializers: spec.initializers ?? [],
  };
}

/** Prepares (expecting success, in Node's host: two threads, multiply-add) and runs a model; inputs and outputs by the test's own names. */
export function runModel(m: OnnxModel, inputs: Record<string, Tensor>, opts: PrepareOptions = {}): Record<string, Tensor> {
  const p = prepare(m, { host: nodeExecutorHost, ...opts });
  if (!p.ok) throw new Error(`prepare failed: ${p.error.code} ${p.error.message}`);
  try {
    const out = run(p.value, new Map(Object.entries(inputs)));
    return Object.fromEntries([...out].map(([k, v]) => [k, asFloat(v)]));
  } finally {
    void dispose(p.value);
  }
}

/** A float32 output; an int64 one (Shape) as float32 values. */
export function asFloat(v: Value): Tensor {
  return v.data instanceof Float32Array ? (v as Tensor) : { dims: v.dims, data: Float32Array.from(v.data, Number) };
}

/** Runs one node on the given inputs (the first `Object.keys(inputs)` are graph inputs). */
export function runNode(n: OnnxNode, inputs: Record<string, Tensor>, initializers: OnnxTensor[] = [], opset = 17, opts: PrepareOptions = {}): Tensor {
  const m = model({
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.dims])),
    outputs: [n.outputs[0]!], nodes: [n], initializers, opset,
  });
  return runModel(m, inputs, opts)[n.outputs[0]!]!;
}

/** |got - want| <= atol + rtol * |want| everywhere, and equal dims. */
export function expectClose(got: Tensor, want: Tensor, rtol = 1e-4, atol = 1e-5): void {
  expect(got.dims).toEqual(want.dims);
  expect(got.data.length).toBe(want.data.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.data.length; i++) {
    const excess = Math.abs(got.data[i]! - want.data[i]!) - (atol + rtol * Math.abs(want.data[i]!));
    if (!(excess <= worst)) {
      worst = Number.isNaN(excess) ? Infinity : excess;
      at = i;
    }
  }
  if (at >= 0) expect.fail(`element ${at}: got ${got.data[at]}, want ${want.data[at]}`);
}
