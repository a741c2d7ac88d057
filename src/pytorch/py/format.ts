/**
 * Python statements and their layout: four-space indents, lines of at most 79 characters (PEP 8).
 * A statement that does not fit is broken inside its outermost brackets the way black does: all
 * the arguments on one indented line if they fit there, else one per line with a trailing comma;
 * comments and docstrings are wrapped at word boundaries.
 */
import { callArgs, print, type PyExpr } from './expr.js';

export const lineWidth = 79;

export type PyStmt =
  /** `target = value`, or `value` alone without a target. */
  | { readonly k: 'assign'; readonly target?: string; readonly value: PyExpr }
  | { readonly k: 'return'; readonly value: PyExpr }
  | { readonly k: 'if'; readonly test: PyExpr; readonly body: readonly PyStmt[] }
  | { readonly k: 'for'; readonly v: string; readonly range: readonly PyExpr[]; readonly body: readonly PyStmt[] }
  | { readonly k: 'def'; readonly name: string; readonly params: readonly PyExpr[]; readonly doc?: string; readonly body: readonly PyStmt[] }
  | { readonly k: 'class'; readonly name: string; readonly base: string; readonly doc?: string; readonly body: readonly PyStmt[] }
  | { readonly k: 'comment'; readonly text: string }
  | { readonly k: 'blank' }
  /** Code taken as it is (helper classes), re-indented. */
  | { readonly k: 'verbatim'; readonly text: string };

export const assign = (target: string | undefined, value: PyExpr): PyStmt => (target === undefined ? { k: 'assign', value } : { k: 'assign', target, value });

const pad = (indent: number) => ' '.repeat(indent);

/** Words filled into lines of `width` after `lead` (a long word stays whole). */
export function wrapWords(text: string, width: number, lead = ''): string[] {
  const lines: string[] = [];
  let line = lead;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > lead.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = lead + word;
    } else line = line.length > lead.length ? `${line} ${word}` : lead + word;
  }
  if (line.length > lead.length) lines.push(line);
  return lines;
}

/** The parts of a bracketed expression: opening text, items, closing bracket. */
function brackets(e: PyExpr): { open: string; items: { prefix: string; value: PyExpr | undefined; text: string }[]; close: string } | undefined {
  switch (e.k) {
    case 'call': {
      const texts = callArgs(e);
      const items = [...e.args.map((a) => ({ prefix: '', value: a.k === 'gen' ? undefined : a })), ...e.kwargs.map(([k, v]) => ({ prefix: `${k}=`, value: v }))];
      return { open: `${e.fn}(`, items: items.map((it, i) => ({ ...it, text: texts[i]! })), close: ')' };
    }
    case 'list':
    case 'tuple':
      if (e.items.length < 2) return undefined;
      return { open: e.k === 'list' ? '[' : '(', items: e.items.map((x) => ({ prefix: '', value: x, text: print(x) })), close: e.k === 'list' ? ']' : ')' };
    case 'star': {
      const inner = brackets(e.x);
      return inner && { ...inner, open: `*${inner.open}` };
    }
    default:
      return undefined;
  }
}

/**
 * `head + e + tail` at `indent`, in as few lines as fit: on one line; or broken inside the
 * expression's brackets (the arguments on one indented line, or one per line, each laid out the
 * same way). Something without brackets that does not fit stays on its line.
 */
export function layout(head: string, e: PyExpr, tail: string, indent: number): string[] {
  const flat = `${pad(indent)}${head}${print(e)}${tail}`;
  if (flat.length <= lineWidth) return [flat];
  // a generator (`*(item for _ in range(n))`): the item and its loop on lines of their own
  const gen = e.k === 'gen' ? e : e.k === 'star' && e.x.k === 'gen' ? e.x : undefined;
  if (gen) {
    const loop = `${pad(indent + 4)}for ${gen.v} in range(${gen.range.map(print).join(', ')})`;
    return [`${pad(indent)}${head}${e.k === 'star' ? '*' : ''}(`, ...layout('', gen.x, '', indent + 4), loop, `${pad(indent)})${tail}`];
  }
  const b = brackets(e);
  if (!b || b.items.length === 0) return [flat];
  const first = `${pad(indent)}${head}${b.open}`;
  const last = `${pad(indent)}${b.close}${tail}`;
  const hug = `${pad(indent + 4)}${b.items.map((i) => i.text).join(', ')}`;
  if (hug.length <= lineWidth && first.length <= lineWidth) return [first, hug, last];
  const lines = [first];
  for (const item of b.items) {
    if (item.value === undefined) lines.push(`${pad(indent + 4)}${item.text},`);
    else lines.push(...layout(item.prefix, item.value, ',', indent + 4));
  }
  lines.push(last);
  return lines;
}

/** A docstring: `"""text"""` on one line when it fits, else wrapped, with the closing quotes on their own line. */
function docstring(doc: string, indent: number): string[] {
  const paragraphs = doc.split(/\n\s*\n/).map((p) => p.replace(/\s+$/, '')).filter((p) => p.trim());
  const one = `${pad(indent)}"""${doc.trim()}"""`;
  if (paragraphs.length === 1 && one.length <= lineWidth && !doc.trim().includes('\n')) return [one];
  const lines: string[] = [];
  paragraphs.forEach((p, i) => {
    if (i > 0) lines.push('');
    // a paragraph whose later lines are indented (an example) keeps its lines; others are filled
    const rows = p.split('\n');
    if (rows.length > 1 && rows.slice(1).every((l) => /^\s/.test(l))) lines.push(...rows.map((l) => `${pad(indent)}${l}`));
    else lines.push(...wrapWords(p, i === 0 ? lineWidth - 3 : lineWidth, pad(indent)));
  });
  lines[0] = `${pad(indent)}"""${lines[0]!.slice(indent)}`;
  lines.push(`${pad(indent)}"""`);
  return lines;
}

/** The functions and classes the statements' code calls (not their comments or docstrings). */
export function calledNames(stmts: readonly PyStmt[], into = new Set<string>()): Set<string> {
  const expr = (e: PyExpr): void => {
    switch (e.k) {
      case 'call':
        into.add(e.fn);
        e.args.forEach(expr);
        e.kwargs.forEach(([, v]) => expr(v));
        return;
      case 'raw':
        for (const m of e.text.matchAll(/([\w.]+)\(/g)) into.add(m[1]!);
        return;
      case 'unary':
      case 'star':
        return expr(e.x);
      case 'bin':
      case 'cmp':
      case 'logic':
        expr(e.l);
        return expr(e.r);
      case 'cond':
        expr(e.test);
        expr(e.then);
        return expr(e.else);
      case 'list':
      case 'tuple':
        return e.items.forEach(expr);
      case 'gen':
        expr(e.x);
        return e.range.forEach(expr);
      case 'fstr':
        return e.parts.forEach((p) => typeof p !== 'string' && expr(p));
      default:
        return;
    }
  };
  for (const s of stmts) {
    if (s.k === 'assign' || s.k === 'return') expr(s.value);
    else if (s.k === 'if') expr(s.test);
    else if (s.k === 'for') s.range.forEach(expr);
    else if (s.k === 'def') s.params.forEach(expr);
    if (s.k === 'if' || s.k === 'for' || s.k === 'def' || s.k === 'class') calledNames(s.body, into);
  }
  return into;
}

/** The statements' source lines at `indent`. */
export function render(stmts: readonly PyStmt[], indent = 0): string[] {
  const out: string[] = [];
  for (const s of stmts) {
    switch (s.k) {
      case 'assign':
        out.push(...layout(s.target === undefined ? '' : `${s.target} = `, s.value, '', indent));
        break;
      case 'return':
        // `return a, b` rather than `return (a, b)`
        if (s.value.k === 'tuple' && s.value.items.length > 1) out.push(`${pad(indent)}return ${s.value.items.map(print).join(', ')}`);
        else out.push(...layout('return ', s.value, '', indent));
        break;
      case 'if':
        out.push(...layout('if ', s.test, ':', indent), ...render(s.body, indent + 4));
        break;
      case 'for':
        out.push(`${pad(indent)}for ${s.v} in range(${s.range.map(print).join(', ')}):`, ...render(s.body, indent + 4));
        break;
      case 'def': {
        const sig: PyExpr = { k: 'call', fn: `def ${s.name}`, args: s.params, kwargs: [] };
        out.push(...layout('', sig, ':', indent));
        if (s.doc) out.push(...docstring(s.doc, indent + 4));
        out.push(...render(s.body.length ? s.body : [{ k: 'verbatim', text: 'pass' }], indent + 4));
        break;
      }
      case 'class':
        out.push(`${pad(indent)}class ${s.name}(${s.base}):`);
        if (s.doc) out.push(...docstring(s.doc, indent + 4));
        if (s.doc && s.body.length) out.push('');
        out.push(...render(s.body, indent + 4));
        break;
      case 'comment':
        out.push(...s.text.split('\n').flatMap((l) => wrapWords(l, lineWidth, `${pad(indent)}# `)));
        break;
      case 'blank':
        out.push('');
        break;
      case 'verbatim':
        out.push(...s.text.replace(/\n$/, '').split('\n').map((l) => (l ? pad(indent) + l : '')));
        break;
    }
  }
  return out;
}
