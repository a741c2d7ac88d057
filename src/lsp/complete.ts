/**
 * Completion and signature help, from the tokens before the cursor (the text being typed rarely
 * parses): inside a call's parentheses, the callee's keyword arguments not given yet (with their
 * defaults) and the names an argument may use; where a statement starts, the built-in layers, the
 * blocks in scope and the statement keywords; after `use`, the standard library's modules.
 * Signature help shows the callee's parameters with the one being written.
 */
import type { IToken } from 'chevrotain';
import { builtinFunctions } from '../ir/elaborate/functions.js';
import { surfaceForms } from '../ir/ops/index.js';
import type { BlockDecl, NetworkDecl } from '../parser/ast.js';
import { parseSource } from '../parser/parse.js';
import * as T from '../parser/tokens.js';
import type { Analysis } from './analysis.js';
import { declSignature, functionSignature, layerSignature, type Signature } from './docs.js';
import { declAt } from './find.js';

export interface Item {
  label: string;
  kind: 'layer' | 'block' | 'network' | 'keyword' | 'argument' | 'variable' | 'function' | 'module' | 'value';
  detail?: string;
  doc?: string;
  insert?: string;
  sort: string;
}

interface Context {
  /** The name being typed (may be empty). */
  word: string;
  /** The innermost open `(` with the callee before it, and the arguments written so far in it. */
  call?: { callee: string; args: IToken[][]; paramList: boolean };
  /** The innermost open bracket. */
  open: string | undefined;
  /** The token before the word. */
  before: IToken | undefined;
  tokens: IToken[];
}

/** Reads the tokens before `offset`; undefined inside a comment or a string. */
function contextAt(text: string, offset: number): Context | undefined {
  const head = text.slice(0, offset);
  const lexed = T.lexer.tokenize(head);
  const lastComment = (lexed.groups.comments ?? []).at(-1);
  if (lastComment && lastComment.startOffset + lastComment.image.length >= offset && !head.slice(lastComment.startOffset).includes('\n')) return undefined;
  const tokens = lexed.tokens;
  const last = tokens.at(-1);
  if (last && (last.tokenType === T.StringLit || last.tokenType === T.BadString) && last.startOffset + last.image.length >= offset && !/"$/.test(last.image.slice(1)))
    return undefined;
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(head)?.[0] ?? '';
  const upto = word && last && last.startOffset + last.image.length === offset ? tokens.slice(0, -1) : tokens;
  // innermost open bracket, `<` counted as a path only where an expression could not stand before it
  const stack: number[] = [];
  upto.forEach((t, i) => {
    const s = t.image;
    if (s === '(' || s === '[' || s === '{') stack.push(i);
    else if (s === '<' && !endsOperand(upto[i - 1])) stack.push(i);
    else if ((s === ')' || s === ']' || s === '}' || s === '>') && stack.length) {
      const top = upto[stack[stack.length - 1]!]!.image;
      if ((s === ')' && top === '(') || (s === ']' && top === '[') || (s === '}' && top === '{') || (s === '>' && top === '<')) stack.pop();
    }
  });
  const openIndex = stack.at(-1);
  const ctx: Context = { word, open: openIndex === undefined ? undefined : upto[openIndex]!.image, before: upto.at(-1), tokens: upto };
  if (openIndex !== undefined && upto[openIndex]!.image === '(') {
    const callee = calleeBefore(upto, openIndex);
    if (callee !== undefined) {
      const args: IToken[][] = [[]];
      let depth = 0;
      for (const t of upto.slice(openIndex + 1)) {
        if (t.image === '(' || t.image === '[' || t.image === '<') depth++;
        else if (t.image === ')' || t.image === ']' || t.image === '>') depth--;
        if (t.image === ',' && depth === 0) args.push([]);
        else args[args.length - 1]!.push(t);
      }
      const kw = upto[openIndex - 2]?.image;
      ctx.call = { callee, args, paramList: (kw === 'block' || kw === 'network') && upto[openIndex - 1]?.tokenType === T.Ident };
    }
  }
  return ctx;
}

function endsOperand(t: IToken | undefined): boolean {
  return t !== undefined && (t.tokenType === T.Ident || t.tokenType === T.IntLit || t.tokenType === T.FloatLit || t.image === ')' || t.image === ']');
}

/** The name called by the `(` at `i`: `conv3(`, or the repeated call of `x n with first(`. */
function calleeBefore(tokens: IToken[], i: number): string | undefined {
  const prev = tokens[i - 1];
  if (prev?.tokenType === T.Ident) return prev.image;
  if (prev?.image !== 'first' || tokens[i - 2]?.image !== 'with') return undefined;
  // walk back over `x COUNT [as i]` to the call
  let j = i - 3;
  if (tokens[j - 1]?.image === 'as') j -= 2;
  let depth = 0;
  for (; j >= 0; j--) {
    const s = tokens[j]!.image;
    if (s === ')') depth++;
    else if (s === '(') depth--;
    else if (s === 'x' && depth === 0) break;
  }
  j--;
  if (tokens[j]?.image === ')') {
    for (depth = 0; j >= 0; j--) {
      if (tokens[j]!.image === ')') depth++;
      else if (tokens[j]!.image === '(' && --depth === 0) break;
    }
    j--;
  }
  return tokens[j]?.tokenType === T.Ident ? tokens[j]!.image : undefined;
}

/** The blocks and networks a file sees: its own (from the text being typed) and those of the files it uses. */
function declsInScope(a: Analysis | undefined, text: string): Map<string, { sig: Signature; kind: 'block' | 'network' }> {
  const out = new Map<string, { sig: Signature; kind: 'block' | 'network' }>();
  const root = a?.program?.root;
  const scope = root ? a!.scopes.get(root.absPath) : undefined;
  for (const [name, ref] of scope ?? []) out.set(name, { sig: declSignature(ref), kind: ref.decl.kind === 'Block' ? 'block' : 'network' });
  const fresh = parseSource(text, root?.name ?? 'untitled.resdsl').ast;
  for (const item of fresh.items) {
    if (item.kind === 'Use') continue;
    if (!out.has(item.name.name)) out.set(item.name.name, { sig: declSignature({ decl: item, file: { name: '', absPath: '', text, ast: fresh, uses: [] } }), kind: item.kind === 'Block' ? 'block' : 'network' });
  }
  return out;
}

function signatureOf(name: string, decls: ReturnType<typeof declsInScope>): Signature | undefined {
  return decls.get(name)?.sig ?? layerSignature(name) ?? functionSignature(name);
}

const layerNames = (): Item[] => {
  const out: Item[] = [];
  for (const { form } of surfaceForms()) {
    const names = form.sizeInName ? [form.name, ...[1, 3, 5, 7].map((k) => `${form.name}${k}`)] : [form.name];
    for (const n of names) {
      if (form.sizeInName && (form.name === 'maxpool' || form.name === 'avgpool') && n.endsWith('5')) continue;
      const sig = layerSignature(n)!;
      out.push({ label: n, kind: 'layer', detail: sig.label, doc: sig.doc, sort: `2${n}` });
    }
  }
  out.push({ label: 'shortcut', kind: 'layer', detail: 'shortcut(A|B|C|auto)', doc: "a residual's second operand, resolved by the shortcut policy", sort: '2shortcut' });
  return out;
};

/** The completions at `offset` of `text`; `a` is the document's last analysis, if any. */
export function completions(a: Analysis | undefined, text: string, offset: number, stdModules: readonly string[]): Item[] {
  const ctx = contextAt(text, offset);
  if (ctx === undefined) return [];
  const before = ctx.before?.image;
  if (before === 'use' || (before === '/' && ctx.tokens.at(-2)?.image === 'std')) {
    return stdModules.map((m) => ({ label: before === 'use' ? `std/${m}` : m, kind: 'module', sort: `1${m}` }));
  }
  if (before === 'expect') return ['params', 'macs', 'output'].map((k) => ({ label: k, kind: 'keyword', sort: `1${k}` }));
  if (before === ':' && ctx.tokens.at(-3)?.image === 'input') return [{ label: 'f32', kind: 'keyword', insert: 'f32[N, 3, 224, 224]', sort: '1f32' }];
  const decls = declsInScope(a, text);
  const encl = declAt(parseSource(text, 'untitled.resdsl').ast, offset);
  if (ctx.call !== undefined) {
    if (ctx.call.paramList) return [];
    return [...argumentItems(ctx, decls), ...valueItems(encl, decls)];
  }
  if (ctx.open === '[' || ctx.open === '(') return valueItems(encl, decls);
  if (ctx.open === undefined) return ['block', 'network', 'use'].map((k) => ({ label: k, kind: 'keyword', sort: `1${k}` }));
  const items: Item[] = layerNames();
  for (const [name, d] of decls) if (d.kind === 'block') items.push({ label: name, kind: 'block', detail: d.sig.label, doc: d.sig.doc, sort: `1${name}` });
  if (ctx.open === '{') for (const k of ['input', 'output', 'expect']) items.push({ label: k, kind: 'keyword', sort: `3${k}` });
  for (const p of encl?.params ?? []) items.push({ label: p.name.name, kind: 'variable', detail: `parameter of ${encl!.name.name}`, sort: `0${p.name.name}` });
  return items;
}

/** The callee's keyword arguments not written yet, as `name = ` with their defaults. */
function argumentItems(ctx: Context, decls: ReturnType<typeof declsInScope>): Item[] {
  const sig = signatureOf(ctx.call!.callee, decls);
  if (sig === undefined) return [];
  const args = ctx.call!.args;
  const given = new Set(args.flatMap((a) => (a[1]?.image === '=' && a[0] ? [a[0].image] : [])));
  // the arguments written before this one without a name fill the first parameters
  const positional = args.slice(0, -1).filter((a) => a[1]?.image !== '=').length;
  for (const p of sig.params.slice(0, positional)) given.add(p.name);
  return sig.params
    .filter((p) => !given.has(p.name))
    .map((p, i) => ({ label: `${p.name} =`, kind: 'argument' as const, detail: p.text, ...(p.doc ? { doc: p.doc } : {}), insert: `${p.name} = `, sort: `0${String(i).padStart(3, '0')}` }));
}

/** What an expression may name: the enclosing declaration's parameters, functions, blocks and layers as values, policies. */
function valueItems(encl: BlockDecl | NetworkDecl | undefined, decls: ReturnType<typeof declsInScope>): Item[] {
  const items: Item[] = [];
  for (const p of encl?.params ?? []) items.push({ label: p.name.name, kind: 'variable', detail: `parameter of ${encl!.name.name}`, sort: `1${p.name.name}` });
  for (const f of builtinFunctions.values()) items.push({ label: f.name, kind: 'function', detail: f.signature, doc: f.doc, sort: `2${f.name}` });
  for (const [name, d] of decls) if (d.kind === 'block') items.push({ label: name, kind: 'block', detail: d.sig.label, sort: `3${name}` });
  for (const v of ['true', 'false', 'A', 'B', 'C', 'auto']) items.push({ label: v, kind: 'value', sort: `4${v}` });
  return items;
}

export interface SignatureHelpResult {
  signature: Signature;
  active: number;
}

export function signatureHelp(a: Analysis | undefined, text: string, offset: number): SignatureHelpResult | undefined {
  const ctx = contextAt(text, offset);
  if (ctx?.call === undefined || ctx.call.paramList) return undefined;
  const sig = signatureOf(ctx.call.callee, declsInScope(a, text));
  if (sig === undefined) return undefined;
  const args = ctx.call.args;
  const current = args[args.length - 1]!;
  const named = current[1]?.image === '=' ? current[0]?.image : undefined;
  const byName = named !== undefined ? sig.params.findIndex((p) => p.name === named) : -1;
  return { signature: sig, active: byName >= 0 ? byName : Math.min(args.length - 1, Math.max(0, sig.params.length - 1)) };
}
