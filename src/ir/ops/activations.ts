/**
 * The elementwise activations: same type in and out, no parameters, no MACs. Each entry is the
 * whole definition of one activation (its name, what it computes, its ONNX form and its torch.nn
 * class); adding one
 * is adding an entry here and a kernel for any new ONNX op it lowers to (docs/adding-an-op.md).
 */
import { tensorType } from '../types.js';
import { noParams, type OnnxBuilder, type OpDef } from './op.js';

/** A float32 scalar constant of the node (`<node>.<name>`). */
const scalar = (b: OnnxBuilder, name: string, v: number) => b.constant(name, 'float32', [], [v]);

/** `module` is the torch.nn class, built without arguments (nn.ReLU()). */
function activation(name: string, doc: string, module: string, ops: readonly string[], lower: (b: OnnxBuilder) => void): OpDef {
  return {
    name,
    arity: 1,
    attrs: {},
    syntax: [{ name, doc, args: [] }],
    infer: (_a, [x]) => tensorType(x!.shape),
    params: noParams,
    onnx: { ops, lower: (b) => lower(b) },
    pytorch: { form: () => ({ kind: 'module', cls: module, args: [] }) },
  };
}

export const activations = {
  relu: activation('relu', 'max(x, 0)', 'nn.ReLU', ['Relu'], (b) => b.output('Relu', [b.input(0)])),
  sigmoid: activation('sigmoid', '1 / (1 + exp(-x))', 'nn.Sigmoid', ['Sigmoid'], (b) => b.output('Sigmoid', [b.input(0)])),
  relu6: activation('relu6', 'min(max(x, 0), 6) (torch.nn.ReLU6)', 'nn.ReLU6', ['Clip'], (b) => b.output('Clip', [b.input(0), scalar(b, 'min', 0), scalar(b, 'max', 6)])),
  hardsigmoid: activation('hardsigmoid', 'relu6(x + 3) / 6 (torch.nn.Hardsigmoid)', 'nn.Hardsigmoid', ['HardSigmoid'], (b) =>
    b.output('HardSigmoid', [b.input(0)], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }),
  ),
  // ONNX has HardSwish from opset 14; before it, x * HardSigmoid(x)
  hardswish: activation('hardswish', 'x * relu6(x + 3) / 6 (torch.nn.Hardswish)', 'nn.Hardswish', ['HardSwish', 'HardSigmoid', 'Mul'], (b) => {
    if (b.opset >= 14) return b.output('HardSwish', [b.input(0)]);
    const gate = b.node('hardsigmoid', 'HardSigmoid', [b.input(0)], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } });
    b.output('Mul', [b.input(0), gate]);
  }),
  silu: activation('silu', 'x * sigmoid(x) (torch.nn.SiLU, swish)', 'nn.SiLU', ['Sigmoid', 'Mul'], (b) => b.output('Mul', [b.input(0), b.node('sigmoid', 'Sigmoid', [b.input(0)])])),
  // PyTorch's exact form (not the tanh approximation); ONNX's Gelu op only comes with opset 20
  gelu: activation('gelu', 'x * (1 + erf(x / sqrt(2))) / 2 (torch.nn.GELU)', 'nn.GELU', ['Div', 'Erf', 'Add', 'Mul'], (b) => {
    const x = b.input(0);
    const erf = b.node('erf', 'Erf', [b.node('div', 'Div', [x, scalar(b, 'sqrt2', Math.SQRT2)])]);
    const half = b.node('mul', 'Mul', [x, b.node('add', 'Add', [erf, scalar(b, 'one', 1)])]);
    b.output('Mul', [half, scalar(b, 'half', 0.5)]);
  }),
} as const satisfies Record<string, OpDef>;
