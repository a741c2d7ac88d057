/** The ONNX worker's entry: listens at once, then loads the compiler (see worker-host.ts). */
import type { Job, OnnxDone } from './protocol.js';
import { serve } from './worker-host.js';

serve<Job, OnnxDone>(async () => (await import('./onnx-job.js')).onnxJob);
