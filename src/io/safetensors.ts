/**
 * Reading and writing safetensors files: an 8-byte little-endian header length N, N bytes of JSON
 * header mapping each tensor name to `{dtype, shape, data_offsets}` (offsets relative to the data
 * section that follows), then the raw little-endian data.
 *
 * The reader treats its input as hostile: every length and offset is checked before anything is
 * allocated from it, and it is as strict as the reference (Rust) library: the tensors must tile
 * the data section exactly, without overlaps, gaps or trailing bytes. Errors are returned as
 * diagnostics with code E0701 about the file, never thrown.
 */
import { fail, ok, type Result } from '../diagnostics/result.js';


/** The reference library's limit on the header size, in bytes. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsTensor {
  /** The dtype stored in the file (F32, F16, BF16 or F64); `data` is always float32. */
  dtype: string;
  shape: number[];
  data: Float32Array;
}


export interface ReadOptions {
  /**
   * Tensors to leave out of the result (for example PyTorch's int64 `num_batches_tracked`). They
   * are still checked for a valid layout, but their dtype may be any known one.
   */
  skip?: (name: string) => boolean;
}

/** Element size in bytes of every dtype the format defines (a Map: the dtype is the file's word, `constructor` too). */
const DTYPE_SIZES: ReadonlyMap<string, number> = new Map([
  ['BOOL', 1], ['U8', 1], ['I8', 1], ['F8_E5M2', 1], ['F8_E4M3', 1],
  ['I16', 2], ['U16', 2], ['F16', 2], ['BF16', 2],
  ['I32', 4], ['U32', 4], ['F32', 4],
  ['I64', 8], ['U64', 8], ['F64', 8],
]);
const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

class FormatError {
  constructor(readonly message: string) {}
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Reads the header length and the header's JSON object. */
function readHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) throw new FormatError(`file has ${bytes.length} bytes, too few to hold the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 4294967296 + lo; // exact up to 2^53; anything near that is rejected below
  if (n > MAX_HEADER_BYTES) throw new FormatError(`header length ${n} is over the limit of ${MAX_HEADER_BYTES} bytes`);
  if (n > bytes.length - 8) {
    throw new FormatError(`header length ${n} runs past the end of the file, which has ${bytes.length} bytes`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new FormatError('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new FormatError('header does not start with a JSON object');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw new FormatError('header is not valid JSON');
  }
  if (!isObject(header)) throw new FormatError('header is not a JSON object');
  return { header, dataStart: 8 + n };
}

/** Checks one header entry against the data section's length. */
function readEntry(name: string, raw: unknown, dataLength: number, skipped: boolean): Entry {
  if (!isObject(raw)) throw new FormatError(`entry of tensor \`${name}\` is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw;
  if (typeof dtype !== 'string') throw new FormatError(`tensor \`${name}\` has no dtype string`);
  const size = DTYPE_SIZES.get(dtype);
  if (size === undefined) throw new FormatError(`tensor \`${name}\` has unknown dtype ${JSON.stringify(dtype).slice(0, 40)}`);
  if (!skipped && !FLOAT_DTYPES.has(dtype)) {
    throw new FormatError(`tensor \`${name}\` has dtype ${dtype}; only F32, F16, BF16 and F64 are supported`);
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInt)) {
    throw new FormatError(`tensor \`${name}\` has a shape that is not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInt)) {
    throw new FormatError(`tensor \`${name}\` has data_offsets that are not two non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw new FormatError(`tensor \`${name}\` has data_offsets [${begin}, ${end}] that end before they begin`);
  if (end > dataLength) {
    throw new FormatError(`tensor \`${name}\` ends at offset ${end}, past the data section of ${dataLength} bytes`);
  }
  // Multiply with an early exit, so that a huge shape never overflows or allocates.
  let bytesNeeded = size;
  for (const d of shape as number[]) {
    bytesNeeded *= d;
    if (bytesNeeded > dataLength) {
      throw new FormatError(`tensor \`${name}\` has shape [${shape.join(', ')}], larger than the data section`);
    }
  }
  if (bytesNeeded !== end - begin) {
    throw new FormatError(
      `tensor \`${name}\` has shape [${shape.join(', ')}] of ${dtype}, which needs ${bytesNeeded} bytes, but its data_offsets span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** The tensors must tile the data section: sorted by offset, each starts where the last ended. */
function checkTiling(entries: Entry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < pos && prev !== undefined) {
      throw new FormatError(`tensors \`${prev.name}\` and \`${e.name}\` overlap in the data section`);
    }
    if (e.begin > pos) {
      throw new FormatError(`data section has ${e.begin - pos} unused bytes before tensor \`${e.name}\``);
    }
    pos = e.end;
    prev = e;
  }
  if (pos !== dataLength) throw new FormatError(`data section has ${dataLength - pos} bytes after the last tensor`);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Converts the little-endian bytes of one tensor to a fresh float32 array. */
function toFloat32(src: Uint8Array, dtype: string): Float32Array {
  const size = DTYPE_SIZES.get(dtype)!;
  const out = new Float32Array(src.length / size);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (dtype === 'F32') {
    if (isLittleEndian) new Uint8Array(out.buffer).set(src);
    else for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  } else if (dtype === 'F64') {
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  } else if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < out.length; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  }
  return out;
}

/**
 * Parses a safetensors file into float32 tensors, keyed by name. `file` names the file in error
 * messages. The data is copied: the result does not alias `bytes`.
 */
export function readSafetensors(
  bytes: Uint8Array,
  file: string,
  opts: ReadOptions = {},
): Result<Map<string, SafetensorsTensor>> {
  try {
    const { header, dataStart } = readHeader(bytes);
    const dataLength = bytes.length - dataStart;
    const entries: Entry[] = [];
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      entries.push(readEntry(name, raw, dataLength, opts.skip?.(name) ?? false));
    }
    checkTiling(entries, dataLength);
    const tensors = new Map<string, SafetensorsTensor>();
    for (const e of entries) {
      if (opts.skip?.(e.name)) continue;
      const data = toFloat32(bytes.subarray(dataStart + e.begin, dataStart + e.end), e.dtype);
      tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data });
    }
    return ok(tensors);
  } catch (e) {
    if (e instanceof FormatError) return fail('E0701', e.message, file);
    throw e;
  }
}

export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array;
}

/**
 * Serializes float32 tensors as the Python library does: tensors sorted by name, data in that
 * order, and the header padded with spaces to a multiple of 8 bytes. `metadata`, if given, is
 * written as `__metadata__`. Throws if a tensor's data does not match its shape (a caller's bug).
 */
export function writeSafetensors(
  tensors: ReadonlyMap<string, TensorToWrite> | Iterable<readonly [string, TensorToWrite]>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const list = [...tensors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // The header is joined by hand: an object would put integer-like names first and would take a
  // tensor named `__proto__` as its prototype.
  const fields: string[] = metadata === undefined ? [] : [`"__metadata__":${JSON.stringify(metadata)}`];
  let offset = 0;
  for (const [name, t] of list) {
    const count = t.shape.reduce((p, d) => p * d, 1);
    if (count !== t.data.length) {
      throw new RangeError(`tensor ${name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    }
    const info = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * count] };
    fields.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    offset += 4 * count;
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  for (const [, t] of list) {
    for (let i = 0; i < t.data.length; i++, pos += 4) view.setFloat32(pos, t.data[i] as number, true);
  }
  return out;
}
