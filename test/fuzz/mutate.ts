/**
 * A mutator of resdsl files (fast-check): deleted, duplicated, swapped and replaced tokens,
 * truncation, random bytes (invalid UTF-8 included), huge numbers and repetition counts, deep
 * nesting of paths and expressions, non-ASCII text, CRLF and lone CR line ends, NUL bytes, lone
 * surrogates (as text and as raw bytes), and empty or BOM-only files. The result is bytes, since
 * several mutations make text that is not valid UTF-8.
 */
import fc from 'fast-check';

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, for failure messages. */
  how: string[];
  /** Index of the base it came from. */
  base: number;
}

const enc = new TextEncoder();

/** Tokens, whitespace included, so that joining them gives the text back. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|#[^\n]*|"(?:[^"\\\n]|\\.)*"?|[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|==|[\s\S]/gu) ?? [];
}

const pieces = [
  'block', 'network', 'use', 'input', 'output', 'expect', 'with', 'first', 'true', 'false', 'x', 'shortcut', 'identity',
  'relu', 'conv3', 'bn', 'gap', 'flatten', 'fc', 'in', 'out', 'N', 'f32', 'std', 'params', 'macs', 'auto', 'A', 'D',
  '<', '>', '(', ')', '{', '}', '[', ']', ';', ',', ':', '=', '==', '+', '-', '*', '/', '%', '"', '#', '\\', '.', '@',
  '0', '1', '-1', '64', '0.5', '1e-5', '1__0', '3x', '"./a.resdsl"', '"std/resnet"', '"."', '"/"', '"../.."',
];
// (no 65536 or 100000: as a repetition count, within the limits, they make networks that take minutes and gigabytes to compile; see corpus/crashes.json)
const hugeNumbers = ['1e308', '99999999999999999999', '1_000_000_000', '9007199254740993', '9007199254740991', '0', '1e-400', '2147483647', '4294967296', '100001', '1e999', '0.0', '00'];
const nonAscii = ['é', '中', '🙂', '\uFEFF', '\u2028', '\u00A0', 'İ', 'ﬁ', '\u200B', '𝔸', '\u202E', 'ß'];
const depths = [10, 63, 64, 65, 200, 3000];

interface Edit {
  kind: number;
  at: number;
  arg: number;
}

type Text = { kind: 'text'; s: string } | { kind: 'bytes'; b: Uint8Array };

const bytesOf = (t: Text): Uint8Array => (t.kind === 'bytes' ? t.b : enc.encode(t.s));
const textOf = (t: Text): string => (t.kind === 'text' ? t.s : new TextDecoder().decode(t.b));

/** Positions of the tokens that are not whitespace. */
function solid(tokens: string[]): number[] {
  return tokens.flatMap((t, i) => (/^\s+$/.test(t) ? [] : [i]));
}

function tokenEdit(s: string, e: Edit, how: string[]): string {
  const tokens = tokenize(s);
  const idx = solid(tokens);
  if (idx.length === 0) return s;
  const i = idx[e.at % idx.length]!;
  const j = idx[(e.at + 1 + e.arg) % idx.length]!;
  switch (e.kind % 5) {
    case 0:
      how.push(`delete token ${JSON.stringify(tokens[i])}`);
      tokens[i] = '';
      break;
    case 1:
      how.push(`duplicate token ${JSON.stringify(tokens[i])}`);
      tokens[i] = `${tokens[i]} ${tokens[i]}`;
      break;
    case 2:
      how.push(`swap tokens ${JSON.stringify(tokens[i])} and ${JSON.stringify(tokens[j])}`);
      [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
      break;
    case 3: {
      const p = pieces[e.arg % pieces.length]!;
      how.push(`replace token ${JSON.stringify(tokens[i])} by ${JSON.stringify(p)}`);
      tokens[i] = p;
      break;
    }
    default: {
      const numbers = idx.filter((k) => /^\d/.test(tokens[k]!));
      const k = numbers.length ? numbers[e.at % numbers.length]! : i;
      const n = hugeNumbers[e.arg % hugeNumbers.length]!;
      how.push(`number ${JSON.stringify(tokens[k])} -> ${n}`);
      tokens[k] = n;
    }
  }
  return tokens.join('');
}

function wrapDeep(s: string, e: Edit, how: string[]): string {
  const d = depths[e.arg % depths.length]!;
  const lines = s.split('\n');
  const candidates = lines.flatMap((l, i) => (/^\s+[a-z]\w*(\(.*\))?\s*$/.test(l) && !/^\s+(input|output|expect)\b/.test(l) ? [i] : []));
  if (e.kind % 2 === 0 && candidates.length) {
    const i = candidates[e.at % candidates.length]!;
    how.push(`nest line ${i + 1} in ${d} paths`);
    lines[i] = `${'<'.repeat(d)}${lines[i]!.trim()}${'>'.repeat(d)}`;
    return lines.join('\n');
  }
  const nums = [...s.matchAll(/\b\d[\d_]*\b/g)];
  if (nums.length === 0) return s;
  const m = nums[e.at % nums.length]!;
  how.push(`nest number ${m[0]} in ${d} parentheses`);
  return s.slice(0, m.index) + '('.repeat(d) + m[0] + ')'.repeat(d) + s.slice(m.index! + m[0].length);
}

function apply(t: Text, e: Edit, how: string[]): Text {
  const s = textOf(t);
  const pos = s.length ? e.at % (s.length + 1) : 0;
  switch (e.kind % 12) {
    case 0:
    case 1:
    case 2:
      return { kind: 'text', s: tokenEdit(s, e, how) };
    case 3: {
      const b = bytesOf(t);
      const at = e.at % (b.length + 1);
      how.push(`truncate at byte ${at}`);
      return { kind: 'bytes', b: b.slice(0, at) };
    }
    case 4: {
      const b = bytesOf(t);
      const at = e.at % (b.length + 1);
      const junk = Uint8Array.from({ length: 1 + (e.arg % 6) }, (_, i) => (e.arg * 37 + i * 101) % 256);
      how.push(`insert bytes ${Array.from(junk, (x) => x.toString(16)).join(' ')} at ${at}`);
      return { kind: 'bytes', b: new Uint8Array([...b.slice(0, at), ...junk, ...b.slice(at)]) };
    }
    case 5: {
      const m = [...s.matchAll(/ x (\d+|\w+|\([^)]*\))/g)];
      const big = ['1_000_000_000', '100001', '99999999999999999999', '1e308', '(0 - 1)', '4294967296'][e.arg % 6]!;
      if (m.length === 0) return { kind: 'text', s: tokenEdit(s, { ...e, kind: 4 }, how) };
      const r = m[e.at % m.length]!;
      how.push(`repetition ${r[0].trim()} -> x ${big}`);
      return { kind: 'text', s: s.slice(0, r.index) + ` x ${big}` + s.slice(r.index! + r[0].length) };
    }
    case 6:
      return { kind: 'text', s: wrapDeep(s, e, how) };
    case 7: {
      const ch = nonAscii[e.arg % nonAscii.length]!;
      how.push(`insert ${JSON.stringify(ch)} at ${pos}`);
      return { kind: 'text', s: s.slice(0, pos) + ch + s.slice(pos) };
    }
    case 8: {
      const style = e.arg % 3;
      how.push(['CRLF line ends', 'lone CR line ends', 'one line end made CRLF'][style]!);
      if (style === 0) return { kind: 'text', s: s.replace(/\r?\n/g, '\r\n') };
      if (style === 1) return { kind: 'text', s: s.replace(/\r?\n/g, '\r') };
      return { kind: 'text', s: s.slice(0, pos).replace(/\n([^\n]*)$/, '\r\n$1') + s.slice(pos) };
    }
    case 9: {
      const what = e.arg % 3;
      how.push([`NUL at ${pos}`, `lone surrogate U+D800 at ${pos}`, `raw surrogate bytes ED A0 80 at ${pos}`][what]!);
      if (what === 0) return { kind: 'text', s: `${s.slice(0, pos)}\0${s.slice(pos)}` };
      if (what === 1) return { kind: 'text', s: `${s.slice(0, pos)}\uD800${s.slice(pos)}` };
      const b = enc.encode(s.slice(0, pos));
      return { kind: 'bytes', b: new Uint8Array([...b, 0xed, 0xa0, 0x80, ...enc.encode(s.slice(pos))]) };
    }
    case 10: {
      const what = e.arg % 4;
      how.push(['empty file', 'only a BOM', 'only whitespace', 'a BOM before the text'][what]!);
      if (what === 0) return { kind: 'text', s: '' };
      if (what === 1) return { kind: 'text', s: '\uFEFF' };
      if (what === 2) return { kind: 'text', s: ' \n\t\r\n  ' };
      return { kind: 'text', s: `\uFEFF${s}` };
    }
    default: {
      // cut a span out, or paste a span elsewhere: broken structure from real text
      const len = 1 + (e.arg % 40);
      const to = (e.at * 7 + e.arg) % (s.length + 1);
      if (e.kind % 2) {
        how.push(`cut ${len} characters at ${pos}`);
        return { kind: 'text', s: s.slice(0, pos) + s.slice(pos + len) };
      }
      how.push(`copy ${len} characters from ${pos} to ${to}`);
      return { kind: 'text', s: s.slice(0, to) + s.slice(pos, pos + len) + s.slice(to) };
    }
  }
}

export function mutate(bases: readonly string[], base: number, edits: readonly Edit[]): Mutant {
  const how: string[] = [];
  let t: Text = { kind: 'text', s: bases[base % bases.length]! };
  for (const e of edits) t = apply(t, e, how);
  return { bytes: bytesOf(t), how, base: base % bases.length };
}

const edit = fc.record({ kind: fc.nat(), at: fc.nat(), arg: fc.nat() });

/** Mutants of `bases`: one to four edits each. */
export function mutantArb(bases: readonly string[]): fc.Arbitrary<Mutant> {
  return fc.tuple(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([b, es]) => mutate(bases, b, es));
}
