/**
 * What the editor says about a callable: signatures and one-line docs of built-in layers (from
 * their op definitions), built-in functions, blocks and networks (from their declarations and
 * documentation comments); and numbers written for people.
 */
import { builtinFunctions } from '../ir/elaborate/functions.js';
import type { DeclRef } from '../ir/elaborate/scope.js';
import { resolveLayerName, type ArgDecl } from '../ir/ops/index.js';
import { docComment } from './analysis.js';

export interface Signature {
  /** `conv3(out = the block's out, stride = 1, ...)` */
  label: string;
  /** Each parameter's text within the label, and its name. */
  params: { name: string; text: string; doc?: string }[];
  doc: string;
}

function argText(d: ArgDecl): string {
  const dflt = d.defaultDoc ?? (typeof d.default === 'function' || d.default === undefined ? undefined : String(d.default));
  const name = d.variadic ? `${d.name}...` : d.name;
  return dflt === undefined ? name : `${name} = ${dflt}`;
}

/** The signature of a built-in layer by the name written (`conv3`: k fixed by the name). */
export function layerSignature(name: string): Signature | undefined {
  const use = resolveLayerName(name);
  if (use === undefined) return undefined;
  const args = use.form.args.filter((a) => use.size === undefined || a.name !== use.form.sizeInName);
  const params = args.map((a) => ({ name: a.name, text: argText(a), doc: a.doc }));
  const sized = use.size !== undefined ? ` (${use.form.sizeInName} = ${use.size})` : '';
  return { label: `${name}(${params.map((p) => p.text).join(', ')})`, params, doc: `${use.form.doc}${sized}` };
}

export function functionSignature(name: string): Signature | undefined {
  const f = builtinFunctions.get(name);
  if (f === undefined) return undefined;
  const inner = /\((.*)\)/.exec(f.signature)?.[1] ?? '';
  const params = inner.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => ({ name: p.split('=')[0]!.trim().replace('...', ''), text: p }));
  return { label: f.signature, params, doc: f.doc };
}

/** A block's or network's signature, with its documentation comment. */
export function declSignature(ref: DeclRef): Signature {
  const d = ref.decl;
  const text = ref.file.text;
  const params = d.params.map((p) => ({ name: p.name.name, text: text.slice(p.span.start, p.span.end).replace(/\s+/g, ' ') }));
  const kw = d.kind === 'Block' ? 'block' : 'network';
  const base = d.kind === 'Network' && d.base ? ` = ${text.slice(d.base.span.start, d.base.span.end).replace(/\s+/g, ' ')}` : '';
  const list = d.kind === 'Block' || d.params.length ? `(${params.map((p) => p.text).join(', ')})` : '';
  return { label: `${kw} ${d.name.name}${list}${base}`, params, doc: docComment(text, d.span.start) ?? '' };
}

/** 1234567 as `1,234,567`. */
export const count = (x: number): string => x.toLocaleString('en-US');

/** MACs in a readable unit. */
export function macs(m: number): string {
  if (m >= 1e9) return `${(m / 1e9).toFixed(2)} GMACs`;
  if (m >= 1e6) return `${(m / 1e6).toFixed(2)} MMACs`;
  return `${count(m)} MACs`;
}
