/** A thread's kernels and memory view (see tasks.ts's ThreadContext), for the main thread and the worker. */
import { jsKernels } from '../gemm/macro-js.js';
import { jsVectorKernels } from '../vector/js.js';
import { wasmKernelSets } from '../wasm/kernel.js';
import type { ThreadContext } from './tasks.js';

export function threadContext(memory: WebAssembly.Memory, kernel: 'js' | 'wasm', workspace: number, thread: number, module?: WebAssembly.Module): ThreadContext {
  let view = new Float32Array(memory.buffer);
  const sets = kernel === 'wasm' ? wasmKernelSets(memory, module) : { gemm: jsKernels, vector: jsVectorKernels };
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
