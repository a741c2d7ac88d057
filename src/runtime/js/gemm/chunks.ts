/**
 * How a GEMM job is shared between threads. Each column chunk reads all of A and each row chunk
 * packs all of B, so the cut goes across the larger of the two: up to eight column ranges
 * (multiples of NR) when there are at least as many columns as rows, else two row ranges
 * (multiples of MR); fewer for small products, and one (no sharing) for tiny ones.
 */
import type { GemmJob } from './job.js';
import { MR, NR } from './pack.js';

export interface Chunk {
  m0: number;
  m1: number;
  n0: number;
  n1: number;
}

/** Multiply-adds below which a chunk is not worth handing to another thread (about 10 us). */
const minChunkWork = 1 << 19;

export function chunksOf(job: GemmJob): Chunk[] {
  const out: Chunk[] = [];
  const most = Math.min(8, Math.floor((job.m * job.n * job.k) / minChunkWork));
  if (most < 2) return [{ m0: 0, m1: job.m, n0: 0, n1: job.n }];
  if (job.n >= 8 * NR && job.n >= job.m) {
    const size = Math.max(4 * NR, Math.ceil(job.n / most / NR) * NR);
    for (let n0 = 0; n0 < job.n; n0 += size) out.push({ m0: 0, m1: job.m, n0, n1: Math.min(job.n, n0 + size) });
  } else {
    // Two row ranges: each thread then packs B once, as one thread alone would.
    const size = Math.max(MR, Math.ceil(job.m / 2 / MR) * MR);
    for (let m0 = 0; m0 < job.m; m0 += size) out.push({ m0, m1: Math.min(job.m, m0 + size), n0: 0, n1: job.n });
  }
  return out;
}
