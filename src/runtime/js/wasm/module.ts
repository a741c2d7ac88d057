/**
 * The executor's one WebAssembly module: the GEMM kernels (gemm-module.ts), the vector kernels
 * (vector-module.ts), the depthwise convolution kernels (depthwise-module.ts) and the channel
 * norm (norm-module.ts), importing the arena's shared memory. Each thread instantiates it once.
 */
import { encodeModule } from './encoder.js';
import { gemmFunctions } from './gemm-module.js';
import { depthwiseFunctions } from './depthwise-module.js';
import { normFunctions } from './norm-module.js';
import { vectorFunctions } from './vector-module.js';
import { MR, NR } from '../gemm/pack.js';

/** Largest memory the module accepts: 65536 pages of 64 KiB, 4 GiB. */
export const maxPages = 65536;

export function kernelModuleBytes(fma: boolean): Uint8Array<ArrayBuffer> {
  return encodeModule([...gemmFunctions({ mr: MR, nv: NR / 4, fma }), ...vectorFunctions(fma), ...depthwiseFunctions(fma), ...normFunctions()], maxPages);
}
