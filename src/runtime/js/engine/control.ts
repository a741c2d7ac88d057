/**
 * How the main thread and its worker share tasks, through a small shared Int32Array: the task's
 * kind and integer arguments, and a claim word. A task is cut into chunks (the same cuts every time
 * for the same arguments), and both threads claim chunks until none is left, so that a worker the
 * OS has not scheduled costs nothing: the main thread then does every chunk. The claim word holds
 * the task's sequence number and chunk count with the next chunk, so a worker that read a task's
 * arguments while they were being replaced cannot claim anything with them: a claim succeeds only
 * while its task is unfinished, and the main thread writes the next task only after that.
 */

/** The main thread's sequence number of the current task (16 bits). */
export const SEQ = 0;
/** seq << 16 | chunk count << 8 | next chunk to claim. */
export const CLAIM = 1;
/** Chunks of the current task finished, by either thread. */
export const FINISHED = 2;
/** 0 while starting, 1 when ready, -1 if the worker failed to start. */
export const READY = 3;
/** Set to 1 to make the worker leave its loop. */
export const QUIT = 4;
/** Set to 1 by the worker if a chunk threw. */
export const FAILED = 5;
/** The task's kind (index in tasks.ts's table). */
export const KIND = 6;
export const ARGS = 8;
/** Most integer arguments a task has. */
export const maxArgs = 40;
export const controlInts = ARGS + maxArgs;
/** Most chunks a task is cut into (the claim word has 8 bits for it). */
export const maxChunks = 255;

export interface WorkerSetup {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  kernel: 'js' | 'wasm';
  /** The compiled WebAssembly kernels, when kernel is 'wasm'. */
  module?: WebAssembly.Module;
  /** Float offset of the worker's workspace (GEMM packing) in the arena. */
  workspace: number;
}

/** Waits while ctl[index] === value: spinning first (a wake-up can take a time slice), then sleeping. */
export function waitWhile(ctl: Int32Array, index: number, value: number, spins = 20_000): void {
  for (let i = 0; i < spins; i++) if (Atomics.load(ctl, index) !== value) return;
  while (Atomics.load(ctl, index) === value) Atomics.wait(ctl, index, value);
}

/** Claims and runs chunks of task `seq` until none is left; false if a chunk threw. */
export function claimChunks(ctl: Int32Array, seq: number, run: (chunk: number) => void): boolean {
  let ok = true;
  for (;;) {
    const v = Atomics.load(ctl, CLAIM);
    const next = v & 0xff;
    if (v >>> 16 !== seq || next >= ((v >>> 8) & 0xff)) return ok;
    if (Atomics.compareExchange(ctl, CLAIM, v, v + 1) !== v) continue;
    try {
      run(next);
    } catch {
      ok = false;
    }
    Atomics.add(ctl, FINISHED, 1);
    Atomics.notify(ctl, FINISHED);
  }
}

/** Posts task `seq` of `count` chunks: kind and arguments, then a fresh claim word, then the sequence number. */
export function postTask(ctl: Int32Array, seq: number, count: number, kind: number, args: Int32Array): void {
  Atomics.store(ctl, KIND, kind);
  ctl.set(args, ARGS);
  Atomics.store(ctl, FINISHED, 0);
  Atomics.store(ctl, CLAIM, (seq << 16) | (count << 8));
  Atomics.store(ctl, SEQ, seq);
  Atomics.notify(ctl, SEQ);
}
