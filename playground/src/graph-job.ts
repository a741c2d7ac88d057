/**
 * The graph worker's job: what `resdsl graph FILE [-n NET] --depth D --shortcut P` draws: the
 * front of the pipeline through the shortcut pass, the picture as Graphviz DOT (src/graph), laid
 * out to SVG by Graphviz in WebAssembly.
 */
import { renderText } from '../../src/diagnostics/render.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { dotToSvg, graphDot } from '../../src/graph/index.js';
import { frontEnd } from '../../src/pipeline/index.js';
import type { GraphDone, GraphJob } from './protocol.js';
import { host } from './sources.js';
import type { Handler } from './worker-host.js';

export const graphHandler: Handler<GraphJob, GraphDone> = async (job) => {
  const t0 = performance.now();
  const r = frontEnd(
    job.file,
    { host, text: job.text, shortcut: job.options.shortcut, single: true, ...(job.network !== undefined ? { network: job.network } : {}) },
    'shortcut',
  );
  const net = r.networks[0];
  if (hasErrors(r.diagnostics) || !net) return { result: { ok: false, message: renderText(r.diagnostics, r.sources) || 'the file has no network to draw' } };
  const svg = await dotToSvg(graphDot(net.graph, job.depth));
  if (!svg.ok) return { result: { ok: false, message: `Graphviz could not lay out the picture: ${svg.message}` } };
  return { result: { ok: true, network: net.name, svg: svg.svg, ms: performance.now() - t0 } };
};
