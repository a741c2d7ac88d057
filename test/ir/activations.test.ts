/**
 * Every elementwise activation of src/ir/ops/activations.ts against its mathematical definition:
 * a network of that one layer is compiled, run in onnxruntime-node on values from -8 to 8, and
 * compared with the formula PyTorch documents. Adding an activation is adding its formula here.
 */
import { describe, expect, it } from 'vitest';
import { activations } from '../../src/ir/ops/activations.js';
import { compileFile } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';
import { ortRun } from '../compile/helpers.js';

const reference: Record<keyof typeof activations, (x: number) => number> = {
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  hardsigmoid: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  hardswish: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  silu: (x) => x / (1 + Math.exp(-x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
};

/** erf by Simpson's rule on 2/sqrt(pi) * exp(-t^2) from 0 to x, 2,000 intervals: far below float32's precision. */
function erf(x: number): number {
  const n = 2000;
  const h = x / n;
  let sum = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((sum * h) / 3) * (2 / Math.sqrt(Math.PI));
}

const input = Float32Array.from({ length: 2 * 4 * 5 * 5 }, (_, i) => -8 + (16 * i) / 199);

describe('elementwise activations', () => {
  it('has a reference formula for each one defined', () => {
    expect(Object.keys(reference).sort()).toEqual(Object.keys(activations).sort());
  });

  it('lowers hard-swish for opset 13, which has no HardSwish, to the same values', async () => {
    const c = compileFile('act.resdsl', { opset: 13, text: 'network n {\n  input img: f32[N, 4, 5, 5]\n  hardswish\n}\n' });
    if (!c.ok) throw new Error('hardswish does not compile at opset 13');
    expect(c.model.nodes.map((n) => n.opType)).toEqual(['HardSigmoid', 'Mul']);
    const y = await ortRun(encodeModel(c.model).model, { dims: [2, 4, 5, 5], data: input });
    expect(Math.max(...Array.from(input, (x, i) => Math.abs(y.data[i]! - reference.hardswish(x))))).toBeLessThan(1e-5);
  });

  for (const [name, f] of Object.entries(reference)) {
    it(`${name}: same type out, no parameters, and onnxruntime computes the formula`, async () => {
      const c = compileFile('act.resdsl', { text: `network n {\n  input img: f32[N, 4, 5, 5]\n  ${name}\n  output y\n}\n` });
      if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('; '));
      expect(c.graph.params.size).toBe(0);
      expect(c.model.outputs[0]!.shape).toEqual(['N', 4, 5, 5]);
      const y = await ortRun(encodeModel(c.model).model, { dims: [2, 4, 5, 5], data: input });
      const worst = Math.max(...Array.from(input, (x, i) => Math.abs(y.data[i]! - f(x))));
      expect(worst).toBeLessThan(1e-5);
    });
  }
});
