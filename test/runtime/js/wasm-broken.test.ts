/**
 * An encoder bug must fail loudly: with the kernel module's bytes broken (mocked here), prepare()
 * throws when it compiles them, instead of taking the runtime for one without SIMD and quietly
 * running the JS kernels (which the SIMD probe, a fixed module, still finds).
 */
import { expect, it, vi } from 'vitest';
import { prepare } from '../../../src/runtime/js/index.js';
import { model, node } from './helpers.js';

vi.mock('../../../src/runtime/js/wasm/module.js', async (original) => ({
  ...(await original<typeof import('../../../src/runtime/js/wasm/module.js')>()),
  // a valid header, then a section id no module has
  kernelModuleBytes: () => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x7f, 0x00]),
}));

it('throws on kernels that are not valid WebAssembly, rather than falling back to JS', () => {
  const m = model({ inputs: { x: [4] }, outputs: ['y'], nodes: [node('Relu', ['x'], ['y'])] });
  expect(() => prepare(m, { kernel: 'wasm' })).toThrow(WebAssembly.CompileError);
  // the JS kernels do not need the module
  const p = prepare(m, { kernel: 'js' });
  expect(p.ok).toBe(true);
});
