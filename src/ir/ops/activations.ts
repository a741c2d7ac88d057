/**
 * The elementwise activations: same type in and out, no parameters, no MACs. Each entry is the
 * whole definition of one activation (its name, what it computes, and its ONNX form); adding one
 * is adding an entry here and a kernel for any new ONNX op it lowers to (docs/adding-an-op.md).
 */
import { tensorType } from '../types.js';
import { noParams, type OnnxBuilder, type OpDef } from './op.js';

function activation(name: string, doc: string, ops: readonly string[], lower: (b: OnnxBuilder) => void): OpDef {
  return {
    name,
    arity: 1,
    attrs: {},
    syntax: [{ name, doc, args: [] }],
    infer: (_a, [x]) => tensorType(x!.shape),
    params: noParams,
    onnx: { ops, lower: (b) => lower(b) },
  };
}

export const activations = {
  relu: activation('relu', 'max(x, 0)', ['Relu'], (b) => b.output('Relu', [b.input(0)])),
  sigmoid: activation('sigmoid', '1 / (1 + exp(-x))', ['Sigmoid'], (b) => b.output('Sigmoid', [b.input(0)])),
  relu6: activation('relu6', 'min(max(x, 0), 6) (torch.nn.ReLU6)', ['Clip'], (b) =>
    b.output('Clip', [b.input(0), b.constant('min', 'float32', [], [0]), b.constant('max', 'float32', [], [6])]),
  ),
} as const satisfies Record<string, OpDef>;
