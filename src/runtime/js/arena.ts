/**
 * All memory a plan computes in: one shared WebAssembly memory, so that the WebAssembly kernels
 * and the worker thread see the same weights and activations as the JS kernels, without copies.
 * Packed weights are allocated once; activations come from a pool of freed blocks keyed by size
 * (exact size first, else the smallest free block up to twice as large), so that after the first
 * run the memory stops growing and holds weights plus the activations alive at the same time.
 */
import { RunError } from './tensor.js';
import { maxPages } from './wasm/module.js';

const pageBytes = 65536;
/** The most memory one arena can have (WebAssembly's 32-bit address space). */
export const maxBytes = maxPages * pageBytes;
/** Blocks start on 64-byte boundaries (a cache line, and 16 floats for SIMD loads). */
const alignFloats = 16;

export class Arena {
  readonly memory: WebAssembly.Memory;
  private view: Float32Array;
  /** Next free float index at the top. */
  private top = alignFloats;
  /** Free blocks: size in floats -> offsets. */
  private readonly free = new Map<number, number[]>();
  /** Offsets and sizes of blocks handed out, by view. */
  private readonly owned = new WeakMap<Float32Array, { off: number; size: number }>();

  constructor(initialBytes = 1 << 20) {
    const pages = Math.min(maxPages, Math.max(1, Math.ceil(initialBytes / pageBytes)));
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: maxPages, shared: true });
    this.view = new Float32Array(this.memory.buffer);
  }

  /** A view of the whole memory, current after any growth. */
  f32(): Float32Array {
    if (this.view.length * 4 !== this.memory.buffer.byteLength) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  /** Bytes of memory reserved so far. */
  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes ever handed out at once: the end of the highest block allocated. */
  get highWater(): number {
    return this.top * 4;
  }

  private grow(endFloat: number): void {
    const need = endFloat * 4 - this.memory.buffer.byteLength;
    if (need <= 0) return;
    const have = this.memory.buffer.byteLength / pageBytes;
    // Grow by at least an eighth, so that many small growths do not each copy page tables.
    const pages = Math.max(Math.ceil(need / pageBytes), Math.ceil(have / 8));
    if (have + Math.ceil(need / pageBytes) > maxPages) {
      throw new RunError('E0404', `the tensors of this run need more than the executor's ${maxBytes / 2 ** 30} GiB of memory`);
    }
    this.memory.grow(Math.min(pages, maxPages - have));
  }

  private takeFree(size: number): number | undefined {
    const exact = this.free.get(size);
    if (exact && exact.length > 0) return exact.pop();
    let best: number | undefined;
    for (const [s, list] of this.free) {
      if (s > size && s <= 2 * size && list.length > 0 && (best === undefined || s < best)) best = s;
    }
    if (best === undefined) return undefined;
    const off = this.free.get(best)!.pop()!;
    // Keep the unused tail of the block as its own free block.
    const used = roundUp(size);
    if (best - used >= alignFloats) this.pushFree(off + used, best - used);
    return off;
  }

  private pushFree(off: number, size: number): void {
    const list = this.free.get(size);
    if (list) list.push(off);
    else this.free.set(size, [off]);
  }

  /** A block of `size` floats (contents undefined). */
  alloc(size: number): Float32Array {
    const rounded = roundUp(Math.max(size, 1));
    let off = this.takeFree(rounded);
    if (off === undefined) {
      off = this.top;
      this.grow(off + rounded);
      this.top = off + rounded;
    }
    const view = new Float32Array(this.memory.buffer, off * 4, size);
    this.owned.set(view, { off, size: rounded });
    return view;
  }

  /** Returns a block from `alloc` to the pool; other arrays are ignored. */
  release(view: Float32Array): void {
    const block = this.owned.get(view);
    if (!block) return;
    this.owned.delete(view);
    this.pushFree(block.off, block.size);
  }

  /** Float index of a block from `alloc`, or undefined for an array not in this arena. */
  offsetOf(view: Float32Array): number | undefined {
    return this.owned.get(view)?.off;
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / alignFloats) * alignFloats;
}
