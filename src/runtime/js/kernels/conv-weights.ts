/**
 * Conv weights and bias in the arena, as the GEMM wants them: per group, W[g] (Mg x Cg*kh*kw)
 * packed into MR-row panels, with a folded batch normalization's scale applied; and one bias
 * vector of M values (conv bias times scale, plus shift). Depthwise weights stay [M][kh*kw],
 * scaled the same way.
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

/** Packs weights [M, K/group] per group; `transposed`: one group whose w is stored [K, M]. */
export function packConv(
  arena: Arena, w: Float32Array, m: number, kPerGroup: number, group: number,
  bias: Float32Array | undefined, bn: ConvFusion['bn'], transposed = false,
): PackedConv {
  const mg = m / group;
  const blocks: Float32Array[] = [];
  const groups: number[] = [];
  for (let g = 0; g < group; g++) {
    const block = arena.alloc(packedASize(mg, kPerGroup));
    blocks.push(block);
    const off = arena.offsetOf(block)!;
    const scale = bn?.scale.subarray(g * mg);
    if (transposed) packA(w, 0, m, kPerGroup, arena.f32(), off, scale, 1, m);
    else packA(w, g * mg * kPerGroup, mg, kPerGroup, arena.f32(), off, scale);
    groups.push(off);
  }
  return { groups, bias: biasVector(arena, m, bias, bn, blocks), blocks };
}

/** The bias vector of M values, or -1 when there is none. */
function biasVector(arena: Arena, m: number, bias: Float32Array | undefined, bn: ConvFusion['bn'], blocks: Float32Array[]): number {
  if (bias === undefined && bn === undefined) return -1;
  const b = arena.alloc(m);
  blocks.push(b);
  for (let o = 0; o < m; o++) {
    const raw = bias ? bias[o]! : 0;
    b[o] = bn ? raw * bn.scale[o]! + bn.shift[o]! : raw;
  }
  return arena.offsetOf(b)!;
}

export interface PackedDepthwise {
  /** Float offset of the M x (kh*kw) weights. */
  weights: number;
  bias: number;
  blocks: Float32Array[];
}

export function packDepthwise(arena: Arena, w: Float32Array, m: number, taps: number, bias: Float32Array | undefined, bn: ConvFusion['bn']): PackedDepthwise {
  const block = arena.alloc(m * taps);
  for (let o = 0; o < m; o++) {
    const s = bn ? bn.scale[o]! : 1;
    for (let t = 0; t < taps; t++) block[o * taps + t] = w[o * taps + t]! * s;
  }
  const blocks = [block];
  return { weights: arena.offsetOf(block)!, bias: biasVector(arena, m, bias, bn, blocks), blocks };
}

/** The 4-d shape the weights of a conv stand for; 2-d for a conv made from a MatMul (PrepareContext.matmulWeights). */
export function convWeightDims(w: readonly number[], matmul: 'transposed' | 'direct' | undefined): number[] {
  if (matmul === 'transposed') return [w[1]!, w[0]!, 1, 1];
  if (matmul === 'direct') return [w[0]!, w[1]!, 1, 1];
  return [...w];
}
