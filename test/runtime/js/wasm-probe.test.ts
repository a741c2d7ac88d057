/**
 * SIMD detection (wasm/probe.ts): a fixed module answers whether the runtime has SIMD, and the
 * generated kernels are checked on their own: they must be valid WebAssembly, with and without
 * multiply-add, so that an encoder bug is a failing test here (and an error in prepare(), see
 * wasm-broken.test.ts), never a silent fall back to the JS kernels.
 */
import { expect, it } from 'vitest';
import { nodeExecutorHost } from '../../../src/node/executor-host.js';
import { kernelModuleBytes } from '../../../src/runtime/js/wasm/module.js';
import { hasRelaxedSimd, relaxedSimdProbe, simdProbe } from '../../../src/runtime/js/wasm/probe.js';
import { wasmFma, wasmSimdAvailable } from '../../../src/runtime/js/wasm/kernel.js';
import { prepare, dispose } from '../../../src/runtime/js/index.js';
import { model, node } from './helpers.js';

it('probes SIMD with a fixed module of a few bytes, which Node 20 validates', () => {
  expect(simdProbe.length).toBeLessThan(64);
  expect(WebAssembly.validate(simdProbe)).toBe(true);
  expect(wasmSimdAvailable()).toBe(true);
  // the same module with an opcode no runtime has (0xfd 0xff 0x0f) is refused: the probe can say no
  const broken = Uint8Array.from(simdProbe);
  broken.set([0xff, 0x0f], broken.length - 3);
  expect(WebAssembly.validate(broken)).toBe(false);
});

it('probes relaxed SIMD (multiply-add) with a fixed module too, which Node 20 has behind a flag its host sets', () => {
  expect(relaxedSimdProbe.length).toBeLessThan(64);
  expect(wasmFma(nodeExecutorHost)).toBe(true);
  expect(hasRelaxedSimd()).toBe(true);
});

it.each([false, true])('generates kernels that are valid WebAssembly (multiply-add: %s)', (fma) => {
  wasmFma(nodeExecutorHost);
  const bytes = kernelModuleBytes(fma);
  expect(WebAssembly.validate(bytes)).toBe(true);
  expect(() => new WebAssembly.Module(bytes)).not.toThrow();
});

it('prepares with the WebAssembly kernels by default, and the JS ones when asked', async () => {
  const m = model({ inputs: { x: [4] }, outputs: ['y'], nodes: [node('Relu', ['x'], ['y'])] });
  for (const [asked, got] of [[undefined, 'wasm'], ['wasm', 'wasm'], ['js', 'js']] as const) {
    const p = prepare(m, asked ? { kernel: asked } : {});
    if (!p.ok) throw new Error(p.error.message);
    expect(p.value.options.kernel).toBe(got);
    await dispose(p.value);
  }
});
