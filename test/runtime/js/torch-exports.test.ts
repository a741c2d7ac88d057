/**
 * torch.onnx.export files of torchvision's ResNet-18, MobileNetV2, EfficientNet-B0 and ConvNeXt-T
 * (scripts/torch/make_fixtures.py, with non-trivial norm statistics) run in the JS executor, on one
 * and two threads, equal to PyTorch's own output within 1e-4 x max(1, scale).
 */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { decodeModel } from '../../../src/onnx/read.js';
import { dispose, prepare, run, type Tensor } from '../../../src/runtime/js/index.js';
import { describeWithTorch, npy, relativeError, torchFixture } from '../../helpers/torch-fixtures.js';

afterAll(() => dispose());

describeWithTorch('torch.onnx.export files in the JS executor', () => {
  for (const model of ['resnet18', 'mobilenet_v2', 'efficientnet_b0', 'convnext_tiny'] as const) {
    it.each([1, 2] as const)(`${model} on %i thread(s) equals PyTorch`, (threads) => {
      const f = torchFixture(model);
      const decoded = decodeModel(readFileSync(f.onnx!));
      if (!decoded.ok) throw new Error(decoded.error.message);
      const plan = prepare(decoded.value, { threads });
      if (!plan.ok) throw new Error(`${plan.error.code} ${plan.error.message}`);
      try {
        const out = run(plan.value, new Map([['input', npy(f.input)]])).get('logits') as Tensor;
        expect(relativeError(out, npy(f.expected))).toBeLessThan(1e-4);
      } finally {
        void dispose(plan.value);
      }
    });
  }
});
