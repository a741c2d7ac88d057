/**
 * The work both threads can do: each task kind lists its integer arguments (offsets are float
 * indices into the arena, floats travel as their bits), how a task is cut into chunks (a function
 * of the arguments only, so that both threads cut it the same way), and how one chunk is computed
 * with a thread's kernels. Chunks write disjoint outputs and never change an order of summation,
 * so one and two threads give bit-identical results.
 */
import type { ActOp } from '../activation.js';
import { chunksOf } from '../gemm/chunks.js';
import { fromBits, jobFields, type GemmJob } from '../gemm/job.js';
import type { GemmKernels } from '../gemm/macro-js.js';
import { gemmRange } from '../gemm/sgemm.js';
import { depthwiseFields, depthwisePlanes, type DepthwiseTask } from '../depthwise/task.js';
import type { VectorKernels } from '../vector/kernels.js';
import { binaryOps } from '../wasm/vector-module.js';
import { maxChunks } from './control.js';

/** What a thread computes with. */
export interface ThreadContext {
  /** The arena's memory as floats, current after growth. */
  view(): Float32Array;
  gemm: GemmKernels;
  vector: VectorKernels;
  /** Float offset of this thread's GEMM packing workspace. */
  workspace: number;
  /** 0 for the main thread, 1 for the worker. */
  thread: number;
}

export type Args = Record<string, number>;

export interface TaskType {
  fields: readonly string[];
  chunks(a: Args): number;
  run(a: Args, chunk: number, t: ThreadContext): void;
  /** The whole task on one thread, when that is cheaper than its chunks one after the other. */
  whole?(a: Args, t: ThreadContext): void;
}

/** Floats per chunk below which elementwise work is not worth sharing. */
const grain = 32_768;

/** How many chunks `total` units of work (of `unitFloats` floats each) are cut into. */
function chunkCount(total: number, unitFloats: number): number {
  return Math.max(1, Math.min(8, maxChunks, total, Math.floor((total * unitFloats) / grain)));
}

/** Units [begin, end) of chunk i of `count` over `total`, begins multiples of `align`. */
export function chunkRange(total: number, count: number, i: number, align = 1): [number, number] {
  const at = (k: number) => (k >= count ? total : Math.min(total, Math.floor((k * total) / count / align) * align));
  return [at(i), at(i + 1)];
}

const vectorOp = (a: Args) => binaryOps[a['op']!]!;

/**
 * Elements [e0, e1) of a rows x len broadcast operation, as calls of the kernel on whole rows, and
 * on the partial rows at either end: call(x, row, dst, rows, len, col) with x and dst shifted to
 * element e, row and col its position.
 */
function broadcastRange(a: Args, e0: number, e1: number, call: (x: number, row: number, dst: number, rows: number, len: number, col: number) => void): void {
  const len = a['len']!;
  for (let e = e0; e < e1;) {
    const row = Math.floor(e / len);
    const col = e - row * len;
    if (col === 0 && e1 - e >= len) {
      const rows = Math.floor((e1 - e) / len);
      call(a['x']! + e, row, a['dst']! + e, rows, len, 0);
      e += rows * len;
    } else {
      const count = Math.min(len - col, e1 - e);
      call(a['x']! + e, row, a['dst']! + e, 1, count, col);
      e += count;
    }
  }
}

export const tasks: readonly TaskType[] = [
  {
    // 0: a GEMM job (gemm/job.ts), in row or column chunks (gemm/chunks.ts).
    fields: jobFields,
    chunks: (a) => chunksOf(a as unknown as GemmJob).length,
    run(a, i, t) {
      const job = a as unknown as GemmJob;
      const c = chunksOf(job)[i]!;
      gemmRange(job, t.view(), t.gemm, t.vector, t.workspace, c.m0, c.m1, c.n0, c.n1);
    },
    // Chunks of rows would each pack all of B, chunks of columns each read all of A.
    whole(a, t) {
      const job = a as unknown as GemmJob;
      gemmRange(job, t.view(), t.gemm, t.vector, t.workspace, 0, job.m, 0, job.n);
    },
  },
  {
    // 1: dst = act(src) over n floats.
    fields: ['op', 'a', 'b', 'src', 'dst', 'n'],
    chunks: (a) => chunkCount(a['n']!, 1),
    run(a, i, t) {
      const [e0, e1] = chunkRange(a['n']!, chunkCount(a['n']!, 1), i, 16);
      t.vector.act(t.view(), a['op']! as ActOp, fromBits(a['a']!), fromBits(a['b']!), a['src']! + e0, a['dst']! + e0, e1 - e0);
    },
  },
  {
    // 2: dst = x op y over n floats.
    fields: ['op', 'x', 'y', 'dst', 'n'],
    chunks: (a) => chunkCount(a['n']!, 1),
    run(a, i, t) {
      const [e0, e1] = chunkRange(a['n']!, chunkCount(a['n']!, 1), i, 16);
      t.vector.binary(t.view(), vectorOp(a), a['x']! + e0, a['y']! + e0, a['dst']! + e0, e1 - e0);
    },
  },
  {
    // 3: dst[r][i] = x[r][i] op s[r] over rows x len.
    fields: ['op', 'x', 's', 'dst', 'rows', 'len'],
    chunks: (a) => chunkCount(a['rows']! * a['len']!, 1),
    run(a, i, t) {
      const total = a['rows']! * a['len']!;
      const [e0, e1] = chunkRange(total, chunkCount(total, 1), i, 16);
      broadcastRange(a, e0, e1, (x, row, dst, rows, len) => t.vector.rows(t.view(), vectorOp(a), x, a['s']! + row, dst, rows, len));
    },
  },
  {
    // 4: dst[r][i] = x[r][i] op s[i] over rows x len.
    fields: ['op', 'x', 's', 'dst', 'rows', 'len'],
    chunks: (a) => chunkCount(a['rows']! * a['len']!, 1),
    run(a, i, t) {
      const total = a['rows']! * a['len']!;
      const [e0, e1] = chunkRange(total, chunkCount(total, 1), i, 16);
      broadcastRange(a, e0, e1, (x, _row, dst, rows, len, col) => t.vector.cols(t.view(), vectorOp(a), x, a['s']! + col, dst, rows, len));
    },
  },
  {
    // 5: dst[p] = mean of plane p, over planes of `size` floats.
    fields: ['x', 'dst', 'planes', 'size'],
    chunks: (a) => chunkCount(a['planes']!, a['size']!),
    run(a, i, t) {
      const [p0, p1] = chunkRange(a['planes']!, chunkCount(a['planes']!, a['size']!), i);
      t.vector.mean(t.view(), a['x']! + p0 * a['size']!, a['dst']! + p0, p1 - p0, a['size']!);
    },
  },
  {
    // 6: a depthwise convolution (depthwise/task.ts), in chunks of image planes.
    fields: depthwiseFields,
    chunks: (a) => chunkCount(depthwisePlanes(a as unknown as DepthwiseTask), a['oh']! * a['ow']! * a['k']! * a['k']!),
    run(a, i, t) {
      const task = a as unknown as DepthwiseTask;
      const planes = depthwisePlanes(task);
      const [p0, p1] = chunkRange(planes, chunkCount(planes, a['oh']! * a['ow']! * a['k']! * a['k']!), i);
      t.vector.depthwise(t.view(), task, p0, p1, t.thread);
    },
  },
  {
    // 7: a layer norm over the channels of n NCHW images, in chunks of positions (of every image).
    fields: ['x', 'dst', 'n', 'c', 'hw', 'gamma', 'beta', 'eps'],
    chunks: (a) => chunkCount(a['hw']!, a['n']! * a['c']! * 3),
    run(a, i, t) {
      const [p0, p1] = chunkRange(a['hw']!, chunkCount(a['hw']!, a['n']! * a['c']! * 3), i, 4);
      const image = a['c']! * a['hw']!;
      for (let img = 0; img < a['n']!; img++) {
        t.vector.chanNorm(t.view(), a['x']! + img * image, a['dst']! + img * image, a['c']!, a['hw']!, a['gamma']!, a['beta']!, fromBits(a['eps']!), p0, p1);
      }
    },
  },
];

export const Task = { gemm: 0, act: 1, binary: 2, rows: 3, cols: 4, mean: 5, depthwise: 6, chanNorm: 7 } as const;
