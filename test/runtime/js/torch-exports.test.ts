/**
 * torch.onnx.export files of torchvision's ResNet-18, MobileNetV2, EfficientNet-B0 and ConvNeXt-T
 * (scripts/torch/make_fixtures.py, with non-trivial norm statistics) run in the JS executor equal
 * to PyTorch's own output within 1e-4 x max(1, scale), on one thread and on two (bit-identical),
 * and, for MobileNetV2, with the plain JS kernels.
 */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { decodeModel } from '../../../src/onnx/read.js';
import { dispose, prepare, run, type Tensor } from '../../../src/runtime/js/index.js';
import { nodeExecutorHost } from '../../../src/node/executor-host.js';
import { describeWithTorch, npy, relativeError, torchFixture } from '../../helpers/torch-fixtures.js';

afterAll(() => dispose());

describeWithTorch('torch.onnx.export files in the JS executor', () => {
  for (const model of ['resnet18', 'mobilenet_v2', 'efficientnet_b0', 'convnext_tiny'] as const) {
    it(`${model} equals PyTorch, on one and two threads alike`, async () => {
      const f = torchFixture(model);
      const decoded = decodeModel(readFileSync(f.onnx!));
      if (!decoded.ok) throw new Error(decoded.error.message);
      const outputs: Tensor[] = [];
      for (const threads of [1, 2] as const) {
        const plan = prepare(decoded.value, { threads, host: nodeExecutorHost });
        if (!plan.ok) throw new Error(`${plan.error.code} ${plan.error.message}`);
        outputs.push(run(plan.value, new Map([['input', npy(f.input)]])).get('logits') as Tensor);
        await dispose(plan.value);
      }
      expect(relativeError(outputs[0]!, npy(f.expected))).toBeLessThan(1e-4);
      expect(Buffer.from(outputs[1]!.data.buffer).equals(Buffer.from(outputs[0]!.data.buffer))).toBe(true);
    });
  }

  it('mobilenet_v2 equals PyTorch with the plain JS kernels too', () => {
    const f = torchFixture('mobilenet_v2');
    const decoded = decodeModel(readFileSync(f.onnx!));
    if (!decoded.ok) throw new Error(decoded.error.message);
    const plan = prepare(decoded.value, { kernel: 'js', host: nodeExecutorHost });
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.options.kernel).toBe('js');
    expect(relativeError(run(plan.value, new Map([['input', npy(f.input)]])).get('logits') as Tensor, npy(f.expected))).toBeLessThan(1e-4);
  });
});
