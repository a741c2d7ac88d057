/**
 * Every diagnostic code, defined once. Codes are stable: never renumber, only add.
 * E00xx lexing and parsing, E01xx names and arguments, E02xx shapes and types,
 * E03xx expectations, E04xx resource limits, E05xx modules and files, E06xx passes,
 * E07xx weights and data files, E08xx ONNX files, E09xx PyTorch emission; W-codes are warnings
 * (never an error, exit 0), numbered in the same ranges; N0xxx notes (never an error).
 */
export const codes = {
  // notes
  N0001: 'generic network checked for names only',
  // warnings
  W0601: '--shortcut changes nothing in this network',
  // lexing and parsing
  E0001: 'unexpected character',
  E0002: 'syntax error',
  E0003: 'unterminated string',
  E0004: 'invalid number literal',
  E0005: 'file too large',
  E0006: 'source is not valid text',
  // names and arguments
  E0101: 'unknown name',
  E0102: 'duplicate definition',
  E0103: 'wrong number of arguments',
  E0104: 'unknown named argument',
  E0105: 'argument given twice',
  E0106: 'missing argument',
  E0107: 'wrong kind of value',
  E0108: 'division by zero',
  E0109: 'invalid argument value',
  E0110: 'conv needs an output channel count',
  E0111: 'duplicate label',
  E0112: 'network not found',
  E0113: 'network has no input',
  E0114: 'input channels disagree',
  E0115: 'integer out of range',
  E0116: 'unknown output',
  E0117: 'generic network used without its arguments',
  E0118: 'network statement in a block',
  E0119: 'network defined from a block',
  E0120: 'layers in a network defined from another',
  E0121: 'input not first or given twice',
  // shapes and types
  E0201: 'shapes of a residual add differ',
  E0203: 'output size is not positive',
  E0204: 'channels not divisible by groups',
  E0205: 'wrong rank',
  E0206: 'invalid tensor type',
  E0207: 'shapes of a product do not broadcast',
  // expectations
  E0301: 'parameter count differs from expected',
  E0302: 'MAC count differs from expected',
  E0303: 'output type differs from expected',
  // resource limits
  E0401: 'repetition count too large',
  E0402: 'nesting too deep',
  E0403: 'block recursion too deep',
  E0404: 'tensor too large',
  E0405: 'network too large',
  E0406: 'too many parameters',
  // modules and files
  E0501: 'cannot read file',
  E0502: 'unknown standard library module',
  E0503: 'cyclic use of files',
  E0504: 'use of a directory',
  // passes
  E0601: 'shortcut cannot be made to fit',
  // weights and data files
  E0701: 'malformed safetensors file',
  E0702: 'weights do not match the network',
  E0703: 'malformed npy file',
  E0704: 'input does not match the network',
  // ONNX files
  E0801: 'malformed ONNX file',
  E0802: 'unsupported ONNX operator',
  E0803: 'unsupported ONNX attribute value',
  E0804: 'onnxruntime cannot load or run the model',
  // PyTorch emission
  E0901: 'construct the PyTorch backend cannot write',
} as const;

export type Code = keyof typeof codes;
