/** The graph worker's entry: listens at once, then loads the compiler and Graphviz (see worker-host.ts). */
import type { GraphDone, GraphJob } from './protocol.js';
import { serve } from './worker-host.js';

serve<GraphJob, GraphDone>(async () => (await import('./graph-job.js')).graphHandler);
