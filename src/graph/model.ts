/**
 * The picture of a network as the user wrote it, before any drawing: boxes (layers, or whole block
 * instances at `blocks` depth), clusters (blocks and labelled sequences, nested by name), and edges
 * labelled with the shape of the tensor they carry; the second operand of a residual add is its
 * shortcut (a projection, where the shortcut policy put one in, is marked). Built from the IR after
 * the shortcut pass: `graph.modules` gives the clusters, names give the nesting, graphStats the
 * parameter counts. Deterministic: everything follows the IR's order.
 */
import { graphStats } from '../ir/stats.js';
import { formatType, type IrGraph, type IrNode, type TensorType } from '../ir/types.js';

export type Depth = 'layers' | 'blocks';

export interface Box {
  /** Unique in the picture: `n:NAME` (a layer), `b:PREFIX` (a collapsed block), `in:NAME`, `out:NAME`. */
  id: string;
  kind: 'layer' | 'block' | 'input' | 'output';
  /** Lines of its label. */
  label: string[];
  /** The op (`conv`, `add`), the block's name, or '' for inputs and outputs. */
  op: string;
  params: number;
  /** Put in by the shortcut policy (a projection, or option A's subsampling). */
  inserted: boolean;
  /** The cluster it is drawn in ('' for the top level). */
  cluster: string;
}

export interface Cluster {
  /** The name prefix it groups (`layer1`, `layer1.0`). */
  prefix: string;
  /** What it is: a block's name, `sequence`, `projection (shortcut B)`. */
  kind: string;
  /** The enclosing cluster's prefix ('' at the top). */
  parent: string;
  params: number;
  macs: number;
}

export interface Edge {
  from: string;
  to: string;
  /** The tensor's shape, `N×64×56×56`. */
  label: string;
  /** The second operand of a residual add (its shortcut) or of a product (its gate). */
  shortcut: boolean;
}

export interface Picture {
  network: string;
  params: number;
  macs: number;
  depth: Depth;
  boxes: Box[];
  clusters: Cluster[];
  edges: Edge[];
}

/** `f32[N, 64, 56, 56]` as `N×64×56×56`. */
export function shapeText(t: TensorType | undefined): string {
  return t === undefined ? '?' : t.shape.join('×');
}

/** What a layer does, in a few characters: `conv 3×3 /2, 64`, `maxpool 3×3 /2`, `fc 1000`. */
export function describeLayer(n: IrNode): string {
  const a = n.attrs;
  const num = (k: string) => (typeof a[k] === 'number' ? (a[k] as number) : undefined);
  const stride = num('stride') !== undefined && num('stride') !== 1 ? ` /${num('stride')}` : '';
  switch (n.op) {
    case 'conv': {
      const k = num('k') ?? 1;
      const groups = num('groups') ?? 1;
      const g = groups !== 1 ? `, groups ${groups}` : '';
      return `conv ${k}×${k}${stride}, ${num('out')}${g}`;
    }
    case 'maxpool':
    case 'avgpool':
      return `${n.op} ${num('k')}×${num('k')}${stride}`;
    case 'fc':
    case 'linear':
      return `${n.op} ${num('out')}`;
    case 'shortcut':
      return `shortcut ${String(a.policy ?? '')}`.trim();
    case 'add':
      return '+';
    case 'mul':
      return '×';
    default:
      return n.op;
  }
}

const n = (x: number) => x.toLocaleString('en-US');

/** The innermost of `prefixes` that `name` lies under (`layer1.0.conv1` under `layer1.0`), or ''. */
function enclosing(name: string, prefixes: ReadonlySet<string>): string {
  for (let i = name.lastIndexOf('.'); i > 0; i = name.lastIndexOf('.', i - 1)) {
    const p = name.slice(0, i);
    if (prefixes.has(p)) return p;
  }
  return '';
}

/** Builds the picture of one network at the given depth. */
export function buildPicture(g: IrGraph, depth: Depth): Picture {
  const stats = graphStats(g);
  const modules = g.modules ?? new Map<string, string>();
  const prefixes = new Set(modules.keys());
  const rowByName = new Map(stats.layers.map((r) => [r.name, r]));

  // clusters with their totals
  const clusters = new Map<string, Cluster>();
  for (const [prefix, kind] of modules) clusters.set(prefix, { prefix, kind, parent: enclosing(prefix, prefixes), params: 0, macs: 0 });
  for (const node of g.nodes) {
    const row = rowByName.get(node.name)!;
    for (let p = enclosing(node.name, prefixes); p !== ''; p = clusters.get(p)!.parent) {
      const c = clusters.get(p)!;
      c.params += row.params;
      c.macs += row.macs;
    }
  }

  // at `blocks` depth, the outermost module that is not a sequence stands for everything under it
  const collapsedOf = (name: string): string | undefined => {
    if (depth === 'layers') return undefined;
    let found: string | undefined;
    for (let p = enclosing(name, prefixes); p !== ''; p = clusters.get(p)!.parent) if (clusters.get(p)!.kind !== 'sequence') found = p;
    return found;
  };

  const boxes: Box[] = [];
  const boxOfValue = new Map<string, string>();
  for (const i of g.inputs) {
    boxes.push({ id: `in:${i.name}`, kind: 'input', label: [i.name, formatType(i.type)], op: '', params: 0, inserted: false, cluster: '' });
    boxOfValue.set(i.name, `in:${i.name}`);
  }
  const seenBlocks = new Set<string>();
  for (const node of g.nodes) {
    const row = rowByName.get(node.name)!;
    const block = collapsedOf(node.name);
    if (block !== undefined) {
      boxOfValue.set(node.name, `b:${block}`);
      if (seenBlocks.has(block)) continue;
      seenBlocks.add(block);
      const c = clusters.get(block)!;
      const projection = c.kind.startsWith('projection') || c.kind === 'shortcut A';
      boxes.push({
        id: `b:${block}`,
        kind: 'block',
        label: [block, c.kind, `${n(c.params)} params`],
        op: c.kind,
        params: c.params,
        inserted: projection,
        cluster: c.parent,
      });
      continue;
    }
    const cluster = enclosing(node.name, prefixes);
    const local = cluster ? node.name.slice(cluster.length + 1) : node.name;
    const what = describeLayer(node);
    const named = local !== node.op ? [local] : [];
    const label = node.op === 'add' || node.op === 'mul' ? [what] : [...named, what, ...(row.params ? [`${n(row.params)} params`] : [])];
    boxes.push({ id: `n:${node.name}`, kind: 'layer', label, op: node.op, params: row.params, inserted: node.insertedBy !== undefined, cluster });
    boxOfValue.set(node.name, `n:${node.name}`);
  }

  const edges: Edge[] = [];
  const seenEdges = new Set<string>();
  const addEdge = (value: string, to: string, shortcut: boolean) => {
    const from = boxOfValue.get(value);
    if (from === undefined || from === to) return;
    const key = `${from}\0${to}\0${value}`;
    if (seenEdges.has(key)) return;
    seenEdges.add(key);
    edges.push({ from, to, label: shapeText(g.types.get(value)), shortcut });
  };
  for (const node of g.nodes) {
    const to = boxOfValue.get(node.name)!;
    node.inputs.forEach((v, i) => addEdge(v, to, i > 0 && (node.op === 'add' || node.op === 'mul')));
  }
  for (const o of g.outputs) {
    boxes.push({ id: `out:${o.name}`, kind: 'output', label: [o.name, formatType(g.types.get(o.value) ?? { dtype: 'f32', shape: [] })], op: '', params: 0, inserted: false, cluster: '' });
    addEdge(o.value, `out:${o.name}`, false);
  }

  // only clusters something is drawn in (a collapsed block's own clusters are not)
  const used = new Set<string>();
  for (const b of boxes) for (let p = b.cluster; p !== '' && !used.has(p); p = clusters.get(p)!.parent) used.add(p);
  return {
    network: g.name,
    params: stats.params,
    macs: stats.macs,
    depth,
    boxes,
    clusters: [...clusters.values()].filter((c) => used.has(c.prefix)),
    edges,
  };
}
