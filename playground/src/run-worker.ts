/** The run worker's entry: listens at once, then loads the compiler and the executor (see worker-host.ts). */
import type { Job, RunDone } from './protocol.js';
import { serve } from './worker-host.js';

serve<Job, RunDone>(async () => (await import('./run-job.js')).runHandler);
