/**
 * What a file that is not a .resdsl source is, for the message that says so: by its extension
 * (.onnx, .safetensors, .npy, .npz), then by its first bytes (an ONNX model begins with protobuf
 * field bytes, an .npy file with \x93NUMPY, a zip with PK, a safetensors file with a header length
 * and `{`; a NUL byte means binary). Read by the source host before the size and UTF-8 checks, so
 * that `resdsl check model.onnx` says what the file is and which command reads it.
 */

interface Kind {
  what: string;
  /** Which command reads such a file, as the rest of the message: `; resdsl run reads it`. */
  reader: string;
}

const byExtension = new Map<string, Kind>([
  ['.onnx', { what: 'an ONNX model', reader: 'resdsl run reads it' }],
  ['.safetensors', { what: 'a safetensors weights file', reader: 'resdsl compile and resdsl run read it with --weights' }],
  ['.npy', { what: 'a NumPy array', reader: 'resdsl run reads it with --input' }],
  ['.npz', { what: 'a NumPy .npz archive', reader: 'resdsl run writes it with -o' }],
]);

const startsWith = (head: Uint8Array, bytes: readonly number[]) => bytes.every((b, i) => head[i] === b);

function byContent(head: Uint8Array): Kind | undefined {
  if (startsWith(head, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return byExtension.get('.npy');
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return { what: 'a zip archive (an .npz file?)', reader: 'resdsl run writes .npz files with -o' };
  // safetensors: an 8-byte little-endian header length, then the JSON header
  if (head.length > 9 && head[6] === 0 && head[7] === 0 && head[8] === 0x7b) return byExtension.get('.safetensors');
  // ONNX: a ModelProto opens with ir_version (field 1, varint: 0x08) then a small version number
  if (head.length > 2 && head[0] === 0x08 && head[1]! > 0 && head[1]! < 0x20) return byExtension.get('.onnx');
  if (head.includes(0)) return { what: 'a binary file', reader: 'resdsl reads .resdsl text sources' };
  return undefined;
}

/** `X is an ONNX model, not a .resdsl source; resdsl run reads it`, or undefined for what may be a source. */
export function notASource(shown: string, head: Uint8Array): string | undefined {
  const dot = shown.lastIndexOf('.');
  const kind = (dot > shown.lastIndexOf('/') ? byExtension.get(shown.slice(dot).toLowerCase()) : undefined) ?? byContent(head);
  return kind && `${shown} is ${kind.what}, not a .resdsl source; ${kind.reader}`;
}
