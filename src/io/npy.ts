/**
 * NumPy .npy files (format versions 1.0 and 2.0) holding one C-order float32 array ('<f4'), the
 * way inputs and expected outputs are exchanged with PyTorch; '<f8' is read and narrowed to
 * float32. The header is parsed as the small dict literal it is, never evaluated, and its claims
 * are checked against the file's length before anything is allocated. Problems are E0703.
 */
import { limits } from '../limits.js';
import { fail, ok, type Result } from '../diagnostics/result.js';
import { numel, type Tensor } from './tensor.js';

const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. */
function parseHeader(text: string): Header | string {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) return 'the header is not a dict';
  const entries = new Map<string, string>();
  const re = /\s*'([a-z_]+)'\s*:\s*('[^']*'|True|False|\([^)]*\))\s*(,|$)/y;
  const inner = body.slice(1, -1).trim();
  re.lastIndex = 0;
  while (re.lastIndex < inner.length) {
    const m = re.exec(inner);
    if (!m) return 'the header dict is malformed';
    entries.set(m[1]!, m[2]!);
  }
  const descr = entries.get('descr');
  const fortran = entries.get('fortran_order');
  const shape = entries.get('shape');
  if (descr === undefined || fortran === undefined || shape === undefined || entries.size !== 3) {
    return 'the header must have exactly descr, fortran_order and shape';
  }
  if (!descr.startsWith("'")) return 'descr must be a string';
  if (fortran !== 'True' && fortran !== 'False') return 'fortran_order must be True or False';
  const dims = shape.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!dims.every((d) => /^\d{1,15}$/.test(d))) return 'shape must be a tuple of non-negative integers';
  return { descr: descr.slice(1, -1), fortranOrder: fortran === 'True', shape: dims.map(Number) };
}

export function readNpy(bytes: Uint8Array): Result<Tensor> {
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) return fail('E0703', 'not an npy file: the magic string is missing');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2) {
    if (bytes.length < 12) return fail('E0703', 'the npy file ends inside its header length');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    return fail('E0703', `npy format version ${major}.${bytes[7]} is not supported (1.0 and 2.0 are)`);
  }
  if (start + headerLen > bytes.length) return fail('E0703', `the npy header claims ${headerLen} bytes but the file ends first`);
  const text = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const h = parseHeader(text);
  if (typeof h === 'string') return fail('E0703', `malformed npy header: ${h}`);
  if (h.fortranOrder) return fail('E0703', 'Fortran-order npy arrays are not supported; save with C order');
  const width = h.descr === '<f4' ? 4 : h.descr === '<f8' ? 8 : 0;
  if (width === 0) return fail('E0703', `npy dtype '${h.descr}' is not supported; use little-endian float32 ('<f4')`);
  const count = numel(h.shape);
  if (count > limits.maxTensorElements) return fail('E0703', `the npy shape (${h.shape.join(', ')}) has too many elements`);
  const dataStart = start + headerLen;
  const available = bytes.length - dataStart;
  if (count * width !== available) {
    return fail('E0703', `the npy shape (${h.shape.join(', ')}) needs ${count * width} bytes of data but the file has ${available}`);
  }
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    data[i] = width === 4 ? view.getFloat32(dataStart + 4 * i, true) : view.getFloat64(dataStart + 8 * i, true);
  }
  return ok({ dims: h.shape, data });
}

/** An .npy file (version 1.0, or 2.0 for a header too long for it) of a float32 tensor. */
export function writeNpy(t: Tensor): Uint8Array {
  const shape = t.dims.length === 1 ? `(${t.dims[0]},)` : `(${t.dims.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const v1 = header.length + 11 <= 0xffff;
  const prefix = v1 ? 10 : 12;
  // Pad with spaces so that the data starts on a 64-byte boundary; the header ends with '\n'.
  header += ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(prefix + header.length + t.data.length * 4);
  out.set(magic);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  for (let i = 0; i < t.data.length; i++) view.setFloat32(prefix + header.length + 4 * i, t.data[i]!, true);
  return out;
}
