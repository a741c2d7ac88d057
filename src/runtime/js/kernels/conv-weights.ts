/**
 * Conv weights and bias in the arena, as the GEMM wants them: per group, W[g] (Mg x Cg*kh*kw)
 * packed into MR-row panels, with a folded batch normalization's scale applied; and one bias
 * vector of M values (conv bias times scale, plus shift).
 */
import type { Arena } from '../arena.js';
import { packA, packedASize } from '../gemm/pack.js';
import type { ConvFusion } from '../kernel.js';

export interface PackedConv {
  /** Float offset of each group's packed weights. */
  groups: number[];
  /** Float offset of the M bias values, or -1 when there is no bias at all. */
  bias: number;
  /** Arrays to free when the packing was only for one run. */
  blocks: Float32Array[];
}

export function packConv(
  arena: Arena, w: Float32Array, m: number, kPerGroup: number, group: number,
  bias: Float32Array | undefined, bn: ConvFusion['bn'],
): PackedConv {
  const mg = m / group;
  const blocks: Float32Array[] = [];
  const groups: number[] = [];
  for (let g = 0; g < group; g++) {
    const block = arena.alloc(packedASize(mg, kPerGroup));
    blocks.push(block);
    const off = arena.offsetOf(block)!;
    packA(w, g * mg * kPerGroup, mg, kPerGroup, arena.f32(), off, bn?.scale.subarray(g * mg));
    groups.push(off);
  }
  if (bias === undefined && bn === undefined) return { groups, bias: -1, blocks };
  const b = arena.alloc(m);
  blocks.push(b);
  for (let o = 0; o < m; o++) {
    const raw = bias ? bias[o]! : 0;
    b[o] = bn ? raw * bn.scale[o]! + bn.shift[o]! : raw;
  }
  return { groups, bias: arena.offsetOf(b)!, blocks };
}
