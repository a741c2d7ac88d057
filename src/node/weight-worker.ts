/**
 * The weight worker thread (seeded-weights.ts starts it): waits for the job list and its shared
 * memory, makes the jobs into the ring (weight-ring.ts fillRing), and ends. A job that throws is
 * left to the main thread, which meets the same error; the message goes to the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { fillRing, type RingSetup } from './weight-ring.js';

export function start(): void {
  parentPort?.once('message', (setup: RingSetup) => {
    try {
      fillRing(setup);
    } catch (e) {
      parentPort?.postMessage({ failed: e instanceof Error ? e.message : String(e) });
    }
  });
}
