/**
 * The language server's answers, in process, on small programs where the right answer is known:
 * a layer of a block used twice (a type per use), a labelled stage, parameters (definition and
 * references, with keyword arguments at call sites), rename (and its refusals), quick fixes, completion after `use std/` and of a block's keyword arguments, signature help by
 * position and by name, nested symbols, and a syntax error's partial tree.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lsp/analysis.js';
import { completions, signatureHelp } from '../../src/lsp/complete.js';
import { hover } from '../../src/lsp/hover.js';
import { definition, documentSymbols, references, symbolKeyAt } from '../../src/lsp/navigate.js';
import { quickFixes } from '../../src/lsp/actions.js';
import { applyEdits, rename, renameTarget } from '../../src/lsp/rename.js';

const file = path.resolve('test/lsp/features.resdsl');
const text = `# A block used twice.
block two(out, stride = 1) {
  main: <conv3(stride = stride); bn; relu>
}

network n {
  input img: f32[N, 3, 16, 16]
  stage1: two(8)
  stage2: two(16, stride = 2)
  gap; flatten; fc(10)
}
`;
const a = analyze(file, 1, text, () => undefined);
const at = (needle: string, delta = 0) => text.indexOf(needle) + delta;

describe('language server features', () => {
  it('analyses the program without errors', () => {
    expect(a.diagnostics).toEqual([]);
    expect(a.networks.map((n) => n.name)).toEqual(['n']);
  });

  it('hover on a layer of a block used twice gives the type at each use', () => {
    const h = hover(a, at('conv3', 2))!;
    expect(h.markdown).toContain('2 uses:');
    expect(h.markdown).toContain('`stage1.main.0`: `f32[N, 8, 16, 16]` · 216 params');
    expect(h.markdown).toContain('`stage2.main.0`: `f32[N, 16, 8, 8]` · 1,152 params');
  });

  it('hover on a label gives the stage\'s totals, at each use', () => {
    const h = hover(a, at('main:', 1))!;
    expect(h.markdown).toContain('labelled stage');
    expect(h.markdown).toMatch(/`stage1\.main` → `f32\[N, 8, 16, 16\]` · 232 params/);
    const s = hover(a, at('stage2', 2))!;
    expect(s.markdown).toMatch(/`stage2` → `f32\[N, 16, 8, 8\]` · 1,184 params/);
  });

  it('hover on a parameter and on a block name; definition and references of a parameter', () => {
    expect(hover(a, at('stride = stride', 11))!.markdown).toContain('stride = 1');
    expect(hover(a, at('two(8)', 1))!.markdown).toContain('A block used twice.');
    const d = definition(a, at('stride = stride', 11))!;
    expect(d.path).toBe(file);
    expect(d.span.start).toBe(at('stride = 1'));
    const key = symbolKeyAt(a, at('stride = 1'))!;
    // the value `stride` in the block, and the keyword argument naming the parameter at a call
    expect(references([a], key, false).map((r) => r.span.start)).toEqual([at('stride = stride', 9), at('stride = 2')]);
  });

  it('renames a block, and a parameter with its keyword arguments at call sites (not a layer\'s)', () => {
    const textOf = (p: string) => (p === file ? text : undefined);
    const renamed = (offset: number, name: string) => {
      const t = renameTarget(a, offset);
      if (!t.ok) throw new Error(t.reason);
      const r = rename(a, t.key, name, [a], textOf);
      if (!r.ok) throw new Error(r.reason);
      expect([...r.edits.keys()]).toEqual([file]);
      return applyEdits(text, r.edits.get(file)!);
    };
    expect(renamed(at('two(8)', 1), 'pair')).toBe(text.replaceAll('two(', 'pair('));
    const t = renameTarget(a, at('two(16'));
    expect(t.ok && t.name).toBe('two');
    expect(renamed(at('stride = 1'), 'step')).toBe(
      text.replace('stride = 1', 'step = 1').replace('stride = stride', 'stride = step').replace('stride = 2', 'step = 2'),
    );
  });

  it('offers the compiler\'s suggestions as quick fixes: a layer, a name, a keyword argument of a layer and of a block', () => {
    const typo = text.replace('bn; relu', 'bn; rleu').replace('stride = stride', 'strid = strde').replace('two(16, stride = 2)', 'two(16, stirde = 2)');
    const b = analyze(file, 2, typo, () => undefined);
    const fixes = quickFixes(b, 0, typo.length);
    const applied = fixes.map((f) => [typo.slice(f.span.start, f.span.end), f.replacement, f.title]);
    expect(applied).toEqual(
      expect.arrayContaining([
        ['rleu', 'relu', 'replace with `relu`'],
        ['strid', 'stride', 'replace with `stride`'],
        ['strde', 'stride', 'replace with `stride`'],
        ['stirde', 'stride', 'replace with `stride`'],
      ]),
    );
    expect(applied.length).toBe(4); // each mistake once: the name check and elaboration are merged upstream
    // only where asked: the range of the block's body line
    const line = typo.indexOf('main:');
    expect(quickFixes(b, line, line + 10).map((f) => f.replacement)).toEqual([]);
    expect(quickFixes(b, typo.indexOf('rleu'), typo.indexOf('rleu')).map((f) => f.replacement)).toEqual(['relu']);
    // applying every fix gives the program without errors
    const fixed = applyEdits(typo, fixes.map((f) => ({ span: f.span, newText: f.replacement })));
    expect(analyze(file, 3, fixed, () => undefined).diagnostics).toEqual([]);
  });

  it('refuses a rename that is not possible, with the reason', () => {
    const textOf = (p: string) => (p === file ? text : undefined);
    const reason = (offset: number, name: string) => {
      const t = renameTarget(a, offset);
      if (!t.ok) return t.reason;
      const r = rename(a, t.key, name, [a], textOf);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason(at('conv3'), 'conv')).toMatch(/only a block, a network, a parameter/);
    expect(reason(at('two(8)'), 'block')).toMatch(/is not a name/);
    expect(reason(at('two(8)'), 'a b')).toMatch(/is not a name/);
    expect(reason(at('two(8)'), 'n')).toMatch(/would give/);
    expect(reason(at('two(8)'), 'relu')).toMatch(/would give/);
    expect(reason(at('stride = 1'), 'out')).toMatch(/would give/);
    expect(reason(at('two(8)'), 'ok_name')).toBe('ok');
  });

  it('completes std modules after use std/, and a block\'s keyword arguments', () => {
    const t = 'use std/';
    expect(completions(undefined, t, t.length, ['resnet', 'se']).map((i) => i.label)).toEqual(['resnet', 'se']);
    const inCall = text.replace('two(8)', 'two(8, ');
    const items = completions(a, inCall, inCall.indexOf('two(8, ') + 7, []);
    expect(items.filter((i) => i.kind === 'argument').map((i) => i.label)).toEqual(['stride =']);
  });

  it('gives signature help with the parameter being written, by position and by name', () => {
    const t = 'network m {\n  input img: f32[N, 3, 8, 8]\n  maxpool(2, pad = 1';
    const s = signatureHelp(undefined, t, t.length)!;
    expect(s.signature.label).toMatch(/^maxpool\(k, stride = k, pad = 0/);
    expect(s.signature.params[s.active]!.name).toBe('pad');
    const p = signatureHelp(undefined, `${t.slice(0, -8)}`, t.length - 8)!;
    expect(p.signature.params[p.active]!.name).toBe('stride');
  });

  it('lists blocks, networks and their labelled stages, nested', () => {
    const s = documentSymbols(a.program!.root!.ast, text);
    expect(s.map((x) => [x.name, x.kind, x.children.map((c) => c.name)])).toEqual([
      ['two', 'block', ['main']],
      ['n', 'network', ['stage1', 'stage2']],
    ]);
  });

  it('answers on a file with a syntax error from its partial tree', () => {
    const broken = text.replace('fc(10)', 'fc(10');
    const b = analyze(file, 2, broken, () => undefined);
    expect(b.diagnostics.map((d) => d.code)).toContain('E0002');
    expect(documentSymbols(b.program!.root!.ast, broken).map((x) => x.name)).toEqual(['two', 'n']);
    expect(hover(b, broken.indexOf('two(8)') + 1)?.markdown).toContain('block two(out, stride = 1)');
  });
});
