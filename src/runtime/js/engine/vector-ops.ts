/**
 * Elementwise and per-plane operations on tensors, for kernels: each finds its arrays' offsets in
 * the arena and runs as an engine task (shared by both threads when large), or reports that the
 * shapes are not ones it takes, for the caller's general loop.
 */
import { type Activation } from '../activation.js';
import { floatBits } from '../gemm/job.js';
import type { BinaryOp } from '../kernels/binary.js';
import type { Tensor } from '../tensor.js';
import { binaryOps } from '../wasm/vector-module.js';
import type { Engine } from './engine.js';
import { Task } from './tasks.js';

export interface VectorOps {
  /** dst[i] = act(src[i]); dst may be src. */
  activate(act: Activation, src: Float32Array, dst: Float32Array): void;
  /**
   * out = a op b when the shapes are ones these kernels take (equal; one operand per channel, per
   * last axis or a scalar); false (and nothing written) otherwise. out may be a or b when as large
   * as the output.
   */
  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): boolean;
  /** dst[p] = mean of src's plane p of `size` floats. */
  mean(src: Float32Array, dst: Float32Array, planes: number, size: number): void;
}

/** Operands padded to the output's rank. */
function padded(dims: readonly number[], rank: number): number[] {
  return [...new Array<number>(rank - dims.length).fill(1), ...dims];
}

/**
 * How b (padded) broadcasts over out: 'rows' when it is out's dims [lead, mid) and 1 elsewhere (one
 * value per row of `len` = the trailing size), 'cols' when it is out's trailing dims (1 before).
 */
function broadcastShape(b: number[], out: readonly number[]): { kind: 'rows' | 'cols'; outer: number; rows: number; len: number } | undefined {
  const r = out.length;
  let end = r;
  while (end > 0 && b[end - 1] === 1) end--;
  let lead = end;
  while (lead > 0 && b[lead - 1] === out[lead - 1]) lead--;
  if (b.slice(0, lead).some((d) => d !== 1)) return undefined;
  const size = (from: number, to: number) => out.slice(from, to).reduce((p, d) => p * d, 1);
  if (end === r) return { kind: 'cols', outer: 1, rows: size(0, lead), len: size(lead, r) };
  return { kind: 'rows', outer: size(0, lead), rows: size(lead, end), len: size(end, r) };
}

export class EngineVector implements VectorOps {
  constructor(private readonly engine: Engine) {}

  private at(a: Float32Array): number | undefined {
    return this.engine.arena.offsetOf(a);
  }

  activate(act: Activation, src: Float32Array, dst: Float32Array): void {
    const [s, d] = [this.at(src), this.at(dst)];
    if (s === undefined || d === undefined) throw new Error('activate: arrays outside the arena');
    this.engine.run(Task.act, { op: act.op, a: floatBits(act.a), b: floatBits(act.b), src: s, dst: d, n: src.length });
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): boolean {
    if (op === 'pow') return false;
    const code = binaryOps.indexOf(op);
    const [x, y, dst] = [this.at(a.data), this.at(b.data), this.at(out.data)];
    if (x === undefined || y === undefined || dst === undefined) return false;
    const n = out.data.length;
    if (a.data.length === n && b.data.length === n) {
      this.engine.run(Task.binary, { op: code, x, y, dst, n });
      return true;
    }
    // The broadcast operand second: as is, or swapped for + and *.
    let [small, sOff, xOff] = [b, y, x];
    if (a.data.length !== n) {
      if (b.data.length !== n || (op !== 'add' && op !== 'mul')) return false;
      [small, sOff, xOff] = [a, x, y];
    }
    const shape = broadcastShape(padded(small.dims, out.dims.length), out.dims);
    if (shape === undefined) return false;
    const plane = shape.rows * shape.len;
    for (let o = 0; o < shape.outer; o++) {
      this.engine.run(shape.kind === 'rows' ? Task.rows : Task.cols, { op: code, x: xOff + o * plane, s: sOff, dst: dst + o * plane, rows: shape.rows, len: shape.len });
    }
    return true;
  }

  mean(src: Float32Array, dst: Float32Array, planes: number, size: number): void {
    const [s, d] = [this.at(src), this.at(dst)];
    if (s === undefined || d === undefined) throw new Error('mean: arrays outside the arena');
    this.engine.run(Task.mean, { x: s, dst: d, planes, size });
  }
}

