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
};

const input = Float32Array.from({ length: 2 * 4 * 5 * 5 }, (_, i) => -8 + (16 * i) / 199);

describe('elementwise activations', () => {
  it('has a reference formula for each one defined', () => {
    expect(Object.keys(reference).sort()).toEqual(Object.keys(activations).sort());
  });

  for (const [name, f] of Object.entries(reference)) {
    it(`${name}: same type out, no parameters, and onnxruntime computes the formula`, async () => {
      const c = compileFile('act.resdsl', { text: `network n {\n  input img: f32[N, 4, 5, 5]\n  ${name}\n  output y\n}\n` });
      if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('; '));
      expect(c.graph.params.size).toBe(0);
      expect(c.model.outputs[0]!.shape).toEqual(['N', 4, 5, 5]);
      const y = await ortRun(encodeModel(c.model).model, { dims: [2, 4, 5, 5], data: input });
      const worst = Math.max(...Array.from(input, (x, i) => Math.abs(y.data[i]! - f(x))));
      expect(worst).toBeLessThan(1e-6);
    });
  }
});
