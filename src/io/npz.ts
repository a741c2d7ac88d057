/**
 * NumPy .npz files, as `numpy.savez` writes them: a zip archive of one `NAME.npy` member per
 * array, stored (not compressed), with each member's CRC-32. `numpy.load(f)[NAME]` reads them
 * back. Deterministic: the members in the order given, every timestamp 1980-01-01 00:00. Zip64 is
 * not written, so an archive holds under 4 GiB (the caller checks `npzFits` first).
 */
import { writeNpy } from './npy.js';
import type { Tensor } from './tensor.js';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
/** Version 2.0: what a stored member without zip64 needs. */
const VERSION = 20;
/** Bit 11 of the flags: the member's name is UTF-8. */
const UTF8 = 0x0800;
/** MS-DOS date of 1980-01-01 (the format's earliest), time 00:00. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const LIMIT = 0xffffffff;

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, the zip format's), as an unsigned integer. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** At least the bytes the archive will take (an .npy header is counted as 1 KiB, more than any takes). */
export function npzSize(arrays: readonly (readonly [string, Tensor])[]): number {
  const enc = new TextEncoder();
  let size = 22;
  for (const [name, t] of arrays) size += 30 + 46 + 2 * enc.encode(`${name}.npy`).length + 1024 + 4 * t.data.length;
  return size;
}

/** Whether this writer can hold the arrays: under 4 GiB, fewer than 65,535 members. */
export const npzFits = (arrays: readonly (readonly [string, Tensor])[]): boolean => npzSize(arrays) < LIMIT && arrays.length < 0xffff;

interface Member {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
  flags: number;
}

function header(signature: number, m: Member, central: boolean): Uint8Array {
  const out = new Uint8Array((central ? 46 : 30) + m.name.length);
  const v = new DataView(out.buffer);
  let p = 0;
  const u16 = (x: number) => {
    v.setUint16(p, x, true);
    p += 2;
  };
  const u32 = (x: number) => {
    v.setUint32(p, x, true);
    p += 4;
  };
  u32(signature);
  if (central) u16(VERSION); // version made by: 2.0, MS-DOS attributes
  u16(VERSION);
  u16(m.flags);
  u16(0); // stored
  u16(0); // time 00:00
  u16(DOS_DATE);
  u32(m.crc);
  u32(m.size); // compressed: stored, the same
  u32(m.size);
  u16(m.name.length);
  u16(0); // no extra field
  if (central) {
    u16(0); // no comment
    u16(0); // disk 0
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(m.offset);
  }
  out.set(m.name, p);
  return out;
}

/**
 * The .npz archive of these arrays, named as given (each becomes `NAME.npy`), as chunks to write
 * in order. Throws RangeError for a name given twice or an archive of 4 GiB or more (callers check).
 */
export function writeNpz(arrays: readonly (readonly [string, Tensor])[]): Uint8Array[] {
  if (new Set(arrays.map(([n]) => n)).size !== arrays.length) throw new RangeError('an .npz archive cannot hold two arrays of one name');
  if (!npzFits(arrays)) throw new RangeError('an .npz archive of 4 GiB or more needs zip64, which this writer does not write');
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const members: Member[] = [];
  let offset = 0;
  for (const [name, t] of arrays) {
    const data = writeNpy(t);
    const file = `${name}.npy`;
    // eslint-disable-next-line no-control-regex
    const m: Member = { name: enc.encode(file), crc: crc32(data), size: data.length, offset, flags: /^[\x00-\x7f]*$/.test(file) ? 0 : UTF8 };
    const local = header(LOCAL, m, false);
    chunks.push(local, data);
    members.push(m);
    offset += local.length + data.length;
  }
  const directory = members.map((m) => header(CENTRAL, m, true));
  const directorySize = directory.reduce((s, d) => s + d.length, 0);
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, END, true);
  v.setUint16(8, members.length, true); // entries on this disk
  v.setUint16(10, members.length, true); // entries in all
  v.setUint32(12, directorySize, true);
  v.setUint32(16, offset, true);
  return [...chunks, ...directory, end];
}
