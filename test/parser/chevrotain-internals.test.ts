/**
 * The parser overrides four chevrotain methods that are not in its type declarations
 * (src/parser/grammar.ts: canRecoverWithSingleTokenInsertion, SAVE_ERROR, moveToTerminatedState,
 * cstPostNonTerminal),
 * which is why package.json pins chevrotain to one exact version. This test is the guard for an
 * upgrade: it fails if the installed chevrotain no longer has them, or if what they give (a stray
 * token deleted rather than the expected one inserted; a parse of junk that gives up after
 * maxParseErrors) no longer happens.
 */
import * as fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { CstParser } from '../../src/parser/chevrotain.js';
import { maxParseErrors } from '../../src/parser/grammar.js';
import { parseDetailed, parseSource } from '../../src/parser/parse.js';
import { FILE } from './helpers.js';

describe("chevrotain's internals the parser overrides", () => {
  it('are methods of the installed CstParser, the version package.json pins', () => {
    const proto = CstParser.prototype as unknown as Record<string, unknown>;
    for (const m of ['canRecoverWithSingleTokenInsertion', 'SAVE_ERROR', 'moveToTerminatedState', 'cstPostNonTerminal']) expect(typeof proto[m], m).toBe('function');
    const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as { version: string; dependencies: Record<string, string> };
    const pinned = read('package.json').dependencies['chevrotain'];
    const installed = read('node_modules/chevrotain/package.json').version;
    expect(installed).toBe(pinned);
  });

  it('prefer deleting a stray token to inserting the expected one', () => {
    const src = 'block a(in out) <conv3; bn>\n';
    const r = parseSource(src, FILE);
    expect(r.diagnostics.map((d) => src.slice(d.span.start, d.span.end))).toEqual(['out']);
    // `out` was dropped, not taken for the block's body: the body is the path that follows
    const block = r.ast.items[0] as { kind: string; params: { name: { name: string } }[]; body: unknown[] };
    expect(block.params.map((p) => p.name.name)).toEqual(['in']);
    const body = JSON.stringify(block.body);
    expect(body).toContain('"conv3"');
    expect(body).not.toContain('"out"');
  });

  it('hang each statement under its body as it is parsed, so that it can be built then (the AST is the same)', () => {
    const src = 'network n {\n  input x: f32[N, 3, 8, 8]\n  conv3(4); bn\n  relu + identity\n  output y\n}\n';
    const hook = vi.spyOn(CstParser.prototype as unknown as { cstPostNonTerminal(r: unknown, n: string): void }, 'cstPostNonTerminal');
    try {
      const eager = parseSource(src, FILE);
      expect(hook.mock.calls.filter(([, rule]) => rule === 'stmt')).toHaveLength(5);
      expect(eager).toEqual((({ ast, diagnostics }) => ({ ast, diagnostics }))(parseDetailed(src, FILE)));
    } finally {
      hook.mockRestore();
    }
  });

  it('give up on a file of junk after maxParseErrors errors, and only then', () => {
    const stop = vi.spyOn(CstParser.prototype as unknown as { moveToTerminatedState(): void }, 'moveToTerminatedState');
    try {
      parseSource('block b( ) ) '.repeat(10), FILE);
      expect(stop).not.toHaveBeenCalled();
      const r = parseSource('block b( ) ) '.repeat(maxParseErrors), FILE);
      expect(stop).toHaveBeenCalledTimes(1);
      expect(r.diagnostics.at(-1)!.notes).toContain('further syntax errors are not shown');
    } finally {
      stop.mockRestore();
    }
  });
});
