/**
 * A small reference evaluator of IR graphs, in float64, for the numeric checks of the passes
 * (written independently of the executor in src/backends/js, which did not exist yet). Output
 * shapes are taken from the graph's types with the batch symbol bound; each kernel is the plain
 * loop of its definition. An unresolved `shortcut` is evaluated as option A (subsample with the
 * stride, zero-pad channels), so that the shortcut pass itself can be checked under policy A.
 */
import type { IrGraph, IrNode } from '../../src/ir/types.js';
import { tensorValues } from '../../src/ir/tensor-values.js';

export interface T {
  shape: number[];
  data: Float64Array;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const zeros = (shape: number[]): T => ({ shape, data: new Float64Array(size(shape)) });

type Ctx = { g: IrGraph; n: IrNode; x: T[]; out: number[] };

function param(c: Ctx, role: string): Float32Array | undefined {
  const name = c.n.params[role];
  if (name === undefined) return undefined;
  const t = c.g.params.get(name);
  const d = t && tensorValues(t);
  if (!d) throw new Error(`eval: ${name} has no data`);
  return d;
}
const a = (c: Ctx, k: string) => c.n.attrs[k] as number;

function conv(c: Ctx): T {
  const [x] = c.x;
  const [N, C, H, W] = x!.shape as [number, number, number, number];
  const y = zeros(c.out);
  const [, O, OH, OW] = c.out as [number, number, number, number];
  const k = a(c, 'k'), s = a(c, 'stride'), p = a(c, 'pad'), d = a(c, 'dilation'), G = a(c, 'groups');
  const w = param(c, 'weight')!, b = param(c, 'bias');
  const cg = C / G, og = O / G;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          let acc = b ? b[o]! : 0;
          const g0 = Math.floor(o / og) * cg;
          for (let ci = 0; ci < cg; ci++)
            for (let u = 0; u < k; u++)
              for (let v = 0; v < k; v++) {
                const h = i * s - p + u * d, ww = j * s - p + v * d;
                if (h < 0 || h >= H || ww < 0 || ww >= W) continue;
                acc += w[((o * cg + ci) * k + u) * k + v]! * x!.data[((n * C + g0 + ci) * H + h) * W + ww]!;
              }
          y.data[((n * O + o) * OH + i) * OW + j] = acc;
        }
  return y;
}

/** Applies f(value, channel) elementwise over an [N, C, ...] tensor. */
function perChannel(x: T, f: (v: number, ch: number) => number): T {
  const inner = size(x.shape.slice(2));
  const C = x.shape[1] ?? 1;
  const data = x.data.map((v, i) => f(v, Math.floor(i / inner) % C));
  return { shape: x.shape, data };
}

function bn(c: Ctx): T {
  const g = param(c, 'weight')!, b = param(c, 'bias')!, m = param(c, 'running_mean')!, v = param(c, 'running_var')!;
  const eps = a(c, 'eps');
  return perChannel(c.x[0]!, (x, ch) => ((x - m[ch]!) / Math.sqrt(v[ch]! + eps)) * g[ch]! + b[ch]!);
}

function pool(c: Ctx, max: boolean): T {
  const x = c.x[0]!;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, , OH, OW] = c.out as [number, number, number, number];
  const k = a(c, 'k'), s = a(c, 'stride'), p = a(c, 'pad');
  const y = zeros(c.out);
  for (let n = 0; n < N * C; n++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const h0 = i * s - p, w0 = j * s - p;
        // PyTorch's divisor with count_include_pad: the window clipped to the padded input
        const padded = (Math.min(h0 + k, H + p) - h0) * (Math.min(w0 + k, W + p) - w0);
        let acc = max ? -Infinity : 0, cnt = 0;
        for (let h = Math.max(h0, 0); h < Math.min(h0 + k, H); h++)
          for (let w = Math.max(w0, 0); w < Math.min(w0 + k, W); w++) {
            const v = x.data[(n * H + h) * W + w]!;
            acc = max ? Math.max(acc, v) : acc + v;
            cnt++;
          }
        y.data[(n * OH + i) * OW + j] = max ? acc : acc / (c.n.attrs.count_include_pad ? padded : cnt);
      }
  return y;
}

function gap(c: Ctx): T {
  const x = c.x[0]!;
  const hw = size(x.shape.slice(2));
  const y = zeros(c.out);
  for (let i = 0; i < y.data.length; i++) {
    let acc = 0;
    for (let j = 0; j < hw; j++) acc += x.data[i * hw + j]!;
    y.data[i] = acc / hw;
  }
  return y;
}

function fcLayer(c: Ctx): T {
  const x = c.x[0]!;
  const [N, I] = x.shape as [number, number];
  const O = c.out[1]!;
  const w = param(c, 'weight')!, b = param(c, 'bias');
  const y = zeros(c.out);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++) {
      let acc = b ? b[o]! : 0;
      for (let i = 0; i < I; i++) acc += w[o * I + i]! * x.data[n * I + i]!;
      y.data[n * O + o] = acc;
    }
  return y;
}

/** Option A: output channel o reads input channel o - before at (i * stride, j * stride), or is zero. */
function subsamplePad(x: T, out: number[], stride: number, before: number): T {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, O, OH, OW] = out as [number, number, number, number];
  const y = zeros(out);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++) {
      const ci = o - before;
      if (ci < 0 || ci >= C) continue;
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) y.data[((n * O + o) * OH + i) * OW + j] = x.data[((n * C + ci) * H + i * stride) * W + j * stride]!;
    }
  return y;
}

function shortcutA(c: Ctx): T {
  const x = c.x[0]!;
  const cin = x.shape[1]!;
  const out = a(c, 'out');
  if (out < cin) throw new Error('eval: an option A shortcut cannot shrink channels');
  return subsamplePad(x, c.out, a(c, 'stride'), Math.floor((out - cin) / 2));
}

const kernels: Record<IrNode['op'], (c: Ctx) => T> = {
  conv,
  bn,
  relu: (c) => ({ shape: c.out, data: c.x[0]!.data.map((v) => Math.max(v, 0)) }),
  sigmoid: (c) => ({ shape: c.out, data: c.x[0]!.data.map((v) => 1 / (1 + Math.exp(-v))) }),
  maxpool: (c) => pool(c, true),
  avgpool: (c) => pool(c, false),
  gap,
  flatten: (c) => ({ shape: c.out, data: c.x[0]!.data }),
  fc: fcLayer,
  dropout: (c) => c.x[0]!,
  identity: (c) => c.x[0]!,
  add: (c) => ({ shape: c.out, data: c.x[0]!.data.map((v, i) => v + c.x[1]!.data[i]!) }),
  shortcut: shortcutA,
  pad_channels: (c) => subsamplePad(c.x[0]!, c.out, 1, a(c, 'before')),
};

/** Runs the graph with batch size `batch` on the given inputs; returns the outputs by name. */
export function evalGraph(g: IrGraph, inputs: ReadonlyMap<string, T>, batch: number): Map<string, T> {
  const env = new Map<string, T>(inputs);
  for (const n of g.nodes) {
    const out = g.types.get(n.name)!.shape.map((d) => (typeof d === 'number' ? d : batch));
    const x = n.inputs.map((i) => env.get(i)!);
    const y = kernels[n.op]({ g, n, x, out });
    if (y.data.length !== size(out)) throw new Error(`eval: ${n.name} gave ${y.data.length} values for [${out}]`);
    env.set(n.name, { shape: out, data: y.data });
  }
  return new Map(g.outputs.map((o) => [o.name, env.get(o.value)!]));
}

/** The largest difference relative to the largest magnitude of `want` (0 when both are all zero). */
export function relativeError(got: T, want: T): number {
  if (got.data.length !== want.data.length) return Infinity;
  let diff = 0;
  let mag = 0;
  for (let i = 0; i < want.data.length; i++) {
    diff = Math.max(diff, Math.abs(got.data[i]! - want.data[i]!));
    mag = Math.max(mag, Math.abs(want.data[i]!));
  }
  return diff === 0 ? 0 : diff / mag;
}
