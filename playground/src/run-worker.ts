/**
 * The run worker's entry: listens at once, then loads the compiler and the executor (see
 * worker-host.ts). The executor runs here, on this worker's thread, with a second one (a nested
 * worker, executor-host.ts) where the page is cross-origin isolated.
 */
import type { Job, RunDone } from './protocol.js';
import { serve } from './worker-host.js';

serve<Job, RunDone>(async () => {
  const [{ runHandler }, { browserExecutorHost, browserThreads }] = await Promise.all([import('./run-job.js'), import('./executor-host.js')]);
  return runHandler({ threads: browserThreads(), host: browserExecutorHost });
});
