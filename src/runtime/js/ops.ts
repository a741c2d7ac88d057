/**
 * The ONNX operators (ai.onnx domain) the JS executor runs. The kernel table is typed against this
 * list, so an operator without a kernel does not compile.
 */
export const supportedOps = [
  'Add', 'AveragePool', 'BatchNormalization', 'Clip', 'Concat', 'Constant', 'Conv', 'Div',
  'Dropout', 'Erf', 'Exp', 'Flatten', 'Gather', 'Gelu', 'Gemm', 'GlobalAveragePool', 'HardSigmoid',
  'HardSwish', 'Identity', 'LayerNormalization', 'MatMul', 'MaxPool', 'Mul', 'Neg', 'Pad', 'Pow',
  'ReduceMean', 'ReduceSum', 'Relu', 'Reshape', 'Shape', 'Sigmoid', 'Softmax', 'Sqrt', 'Squeeze',
  'Sub', 'Tanh', 'Transpose', 'Unsqueeze',
] as const;

export type SupportedOp = (typeof supportedOps)[number];

export function isSupportedOp(op: string): op is SupportedOp {
  return (supportedOps as readonly string[]).includes(op);
}
