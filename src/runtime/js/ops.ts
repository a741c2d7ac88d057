/**
 * The ONNX operators (ai.onnx domain) the JS executor runs. The kernel table is typed against this
 * list, so an operator without a kernel does not compile.
 */
export const supportedOps = [
  'Add', 'AveragePool', 'BatchNormalization', 'Concat', 'Constant', 'Conv', 'Dropout', 'Flatten',
  'Gemm', 'GlobalAveragePool', 'Identity', 'MatMul', 'MaxPool', 'Mul', 'Pad', 'Relu', 'Reshape',
  'Sigmoid', 'Softmax',
] as const;

export type SupportedOp = (typeof supportedOps)[number];

export function isSupportedOp(op: string): op is SupportedOp {
  return (supportedOps as readonly string[]).includes(op);
}
