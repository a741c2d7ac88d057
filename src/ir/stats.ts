/** Per-layer and total statistics of a graph: output shapes, parameter counts (what PyTorch's parameters() counts) and MACs at batch 1. */
import { opDef } from './ops/index.js';
import { formatType, type IrGraph, type IrNode } from './types.js';

export interface LayerRow {
  name: string;
  op: string;
  output: string;
  /** Trainable parameters of this layer (batch-norm running statistics are buffers and not counted). */
  params: number;
  macs: number;
  /** True for layers a shortcut policy put in (projections, option A subsampling and padding). */
  inserted: boolean;
}

export interface GraphStats {
  params: number;
  /** Buffers: batch-norm running statistics. */
  buffers: number;
  macs: number;
  layers: LayerRow[];
}

/** A layer's multiply-accumulates, by its op's definition. */
function layerMacs(g: IrGraph, n: IrNode): number {
  const def = opDef(n.op);
  if (def.macs === undefined) return 0;
  return def.macs(n.attrs, n.inputs.map((i) => g.types.get(i)!), g.types.get(n.name)!);
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Totals only (what `check` needs): no per-layer rows. */
export function graphTotals(g: IrGraph): Omit<GraphStats, 'layers'> {
  let params = 0;
  let buffers = 0;
  for (const t of g.params.values()) {
    if (t.trainable) params += count(t.shape);
    else buffers += count(t.shape);
  }
  let macs = 0;
  for (const n of g.nodes) macs += layerMacs(g, n);
  return { params, buffers, macs };
}

/** Totals and one row per layer (what `summary` shows). */
export function graphStats(g: IrGraph): GraphStats {
  const layers = g.nodes.map((n): LayerRow => {
    let p = 0;
    for (const name of Object.values(n.params)) {
      const t = g.params.get(name)!;
      if (t.trainable) p += count(t.shape);
    }
    return { name: n.name, op: n.op, output: formatType(g.types.get(n.name)!), params: p, macs: layerMacs(g, n), inserted: n.insertedBy !== undefined };
  });
  return { ...graphTotals(g), layers };
}
