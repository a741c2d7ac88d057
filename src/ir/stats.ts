/** Per-layer and total statistics of a graph: output shapes, parameter counts (what PyTorch's parameters() counts) and MACs at batch 1. */
import { ops } from './ops/index.js';
import { zeroMacs } from './ops/op.js';
import { formatType, type IrGraph } from './types.js';

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

/** Totals only (what `check` needs): no per-layer rows. */
export function graphTotals(g: IrGraph): Omit<GraphStats, 'layers'> {
  let params = 0;
  let buffers = 0;
  for (const t of g.params.values()) {
    let n = 1;
    for (const d of t.shape) n *= d;
    if (t.trainable) params += n;
    else buffers += n;
  }
  let macs = 0;
  for (const n of g.nodes) {
    const def = ops[n.op];
    if (def.macs === zeroMacs) continue;
    macs += def.macs({ ...def.attrs, ...n.attrs }, n.inputs.map((i) => g.types.get(i)!), g.types.get(n.name)!);
  }
  return { params, buffers, macs };
}

export function graphStats(g: IrGraph): GraphStats {
  const layers: LayerRow[] = [];
  let params = 0;
  let macs = 0;
  for (const n of g.nodes) {
    const def = ops[n.op];
    const ins = n.inputs.map((i) => g.types.get(i)!);
    const out = g.types.get(n.name)!;
    let p = 0;
    for (const name of Object.values(n.params)) {
      const t = g.params.get(name)!;
      if (t.trainable) p += t.shape.reduce((a, b) => a * b, 1);
    }
    const m = def.macs({ ...def.attrs, ...n.attrs }, ins, out);
    params += p;
    macs += m;
    layers.push({ name: n.name, op: n.op, output: formatType(out), params: p, macs: m, inserted: n.insertedBy !== undefined });
  }
  let buffers = 0;
  for (const t of g.params.values()) if (!t.trainable) buffers += t.shape.reduce((a, b) => a * b, 1);
  return { params, buffers, macs, layers };
}
