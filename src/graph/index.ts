/**
 * `resdsl graph`: a picture of a network as written (blocks and labelled stages as clusters, or
 * collapsed to one box each at `blocks` depth), as Graphviz DOT, or as SVG laid out by Graphviz
 * compiled to WebAssembly (@viz-js/viz: no system Graphviz; it runs in the browser too). No Node
 * module here, for the playground.
 */
import { instance } from '@viz-js/viz';
import type { IrGraph } from '../ir/types.js';
import { toDot } from './dot.js';
import { buildPicture, type Depth } from './model.js';

export { buildPicture, type Depth, type Picture, type Box, type Cluster, type Edge } from './model.js';
export { toDot } from './dot.js';

/** The network's picture as DOT. */
export function graphDot(g: IrGraph, depth: Depth): string {
  return toDot(buildPicture(g, depth));
}

let viz: ReturnType<typeof instance> | undefined;

/** DOT laid out and drawn as SVG; the Graphviz instance (its WebAssembly module) is made once. */
export async function dotToSvg(dot: string): Promise<{ ok: true; svg: string } | { ok: false; message: string }> {
  viz ??= instance();
  const r = (await viz).render(dot, { format: 'svg', engine: 'dot' });
  if (r.status !== 'success') return { ok: false, message: r.errors.map((e) => e.message).join('; ') || 'Graphviz could not lay out the graph' };
  return { ok: true, svg: r.output };
}

/** The network's picture as SVG. */
export async function graphSvg(g: IrGraph, depth: Depth): Promise<{ ok: true; svg: string } | { ok: false; message: string }> {
  return dotToSvg(graphDot(g, depth));
}
