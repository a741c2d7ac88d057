/** A thread's kernels and memory view (see tasks.ts's ThreadContext), for the main thread and the worker. */
import { jsKernels } from '../gemm/macro-js.js';
import { jsVectorKernels } from '../vector/js.js';
import { wasmKernelSets } from '../wasm/kernel.js';
import type { ThreadContext } from './tasks.js';

/** `module`: the compiled WebAssembly kernels, or undefined for the JS ones. */
export function threadContext(memory: WebAssembly.Memory, module: WebAssembly.Module | undefined, workspace: number, thread: number): ThreadContext {
  let view = new Float32Array(memory.buffer);
  const sets = module ? wasmKernelSets(memory, module) : { gemm: jsKernels, vector: jsVectorKernels };
  return {
    view() {
      if (view.length * 4 !== memory.buffer.byteLength) view = new Float32Array(memory.buffer);
      return view;
    },
    gemm: sets.gemm,
    vector: sets.vector,
    workspace,
    thread,
  };
}
