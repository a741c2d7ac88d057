/** The compiler's version, written into every ONNX model's metadata; a test keeps it equal to package.json's. */
export const version = '0.1.0';
