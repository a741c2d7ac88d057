/**
 * PyTorch parity of every modern example: torchvision's model with random weights (batch-norm and
 * layer-norm statistics and affine parameters and ConvNeXt's layer scales set to random,
 * non-trivial values by scripts/torch/make_fixtures.py), its state_dict as safetensors, given to
 * `compile --weights` as it is (no renaming), fused and unfused, run in onnxruntime-node on a batch
 * of 2: the logits equal PyTorch's within 1e-4 x max(1, their scale).
 */
import * as fs from 'node:fs';
import { expect, it } from 'vitest';
import { compileFile } from '../../src/node/compile.js';
import { encodeModel } from '../../src/onnx/write.js';
import { ortRun } from '../compile/helpers.js';
import { describeWithTorch, npy, relativeError, torchFixture, type torchModels } from '../helpers/torch-fixtures.js';
import { modern } from './zoo-modern.js';

describeWithTorch('modern examples against PyTorch', () => {
  for (const { model } of modern) {
    for (const fuse of [true, false]) {
      it(`${model} (${fuse ? 'fused' : 'unfused'}): torchvision's state_dict loads strictly and onnxruntime reproduces PyTorch`, async () => {
        const f = torchFixture(model as (typeof torchModels)[number]);
        const c = compileFile(`examples/${model}.resdsl`, { weights: f.weights, fuse });
        if (!c.ok) throw new Error(c.diagnostics.map((d) => `${d.code} ${d.message} ${d.notes.join(' ')}`).join('; '));
        const y = await ortRun(encodeModel(c.model).model, npy(f.input), 2);
        expect(relativeError(y, npy(f.expected))).toBeLessThan(1e-4);
        expect(fs.existsSync(f.weights)).toBe(true);
      });
    }
  }
});
