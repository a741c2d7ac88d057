/**
 * The language server as an editor uses it: the built `resdsl lsp` process, spoken to over
 * JSON-RPC by test/lsp/client.ts. Diagnostics on open and after a change (debounced), with codes
 * and related information, across used files; hover (a layer's shape, a block call's totals, a
 * block's documentation); definition (a block call, into std too; a `use`); references; symbols;
 * completion; signature help; formatting. And the process stays up on generated and broken documents.
 */

const fuzzSeed = 20_261_130;
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LspClient, positionOf, uriOf } from './client.js';
import { texts } from './inputs.js';

interface Diag {
  range: { start: { line: number; character: number } };
  code?: string;
  message: string;
  severity: number;
  relatedInformation?: { location: { uri: string }; message: string }[];
}
interface Published {
  uri: string;
  diagnostics: Diag[];
}

const variants = fs.readFileSync('examples/variants.resdsl', 'utf8');
const seed = fs.readFileSync('examples/seed.resdsl', 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-lsp-'));
let client: LspClient;

beforeAll(async () => {
  client = new LspClient();
  const init = (await client.initialize(dir)) as { capabilities: Record<string, unknown> };
  expect(init.capabilities.hoverProvider).toBe(true);
});

afterAll(async () => {
  expect(await client.stop()).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
});

const diagnosticsOf = (uri: string, test: (p: Published) => boolean = () => true) =>
  client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri && test(p));

describe('resdsl lsp', () => {
  it('publishes an example\'s error on open, with its code and help, and clears it after a fix', async () => {
    const uri = uriOf('examples/variants.resdsl');
    const broken = variants.replace('conv3(32, stride = 2); bn; relu; conv3(32)', 'conv3(32, stride = 2); bn; relu; conv3(32, strides = 2)');
    expect(broken).not.toBe(variants);
    client.open(uri, broken);
    const p = await diagnosticsOf(uri, (x) => x.diagnostics.length > 0);
    const d = p.diagnostics.find((x) => x.code === 'E0104')!;
    expect(d.message).toMatch(/strides/);
    expect(d.message).toMatch(/help: .*stride/);
    expect(d.range.start).toEqual(positionOf(broken, 'strides = 2'));
    client.change(uri, variants, 2);
    await diagnosticsOf(uri, (x) => x.diagnostics.length === 0);
  });

  it('gives a layer\'s output type on hover, a block call\'s totals, and a block\'s documentation', async () => {
    const uri = uriOf('examples/seed.resdsl');
    client.open(uri, seed);
    await diagnosticsOf(uri);
    const hover = (needle: string, delta = 0, nth = 0) =>
      client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(seed, needle, delta, nth) });
    // a layer in network seed_net: conv3(64) on a 32x32 image
    const layer = await hover('conv3(64)', 1);
    expect(layer!.contents.value).toContain('f32[N, 64, 32, 32]');
    expect(layer!.contents.value).toContain('1,728 params');
    // the block call resblk(64, 256): its expansion's totals
    const call = await hover('resblk(64, 256)', 2);
    expect(call!.contents.value).toContain('block resblk(in, out)');
    expect(call!.contents.value).toMatch(/`blk1` → `f32\[N, 256, 32, 32\]` · 755,968 params/);
    // the block's definition: its signature and documentation comment
    const def = await hover('block resblk', 7);
    expect(def!.contents.value).toContain('block resblk(in, out)');
    expect(def!.contents.value).toContain('The same block as a reusable block');
  });

  it('goes to the definition of a block call, in this file and in std', async () => {
    const uri = uriOf('examples/seed.resdsl');
    const local = await client.request<{ uri: string; range: { start: { line: number } } }>('textDocument/definition', {
      textDocument: { uri },
      position: positionOf(seed, 'resblk(64, 256)', 1),
    });
    expect(local.uri).toBe(uri);
    expect(local.range.start).toEqual(positionOf(seed, 'resblk(in, out)'));
    const r18 = fs.readFileSync('examples/resnet18.resdsl', 'utf8');
    const r18uri = uriOf('examples/resnet18.resdsl');
    client.open(r18uri, r18);
    const std = await client.request<{ uri: string; range: { start: { line: number; character: number } } }>('textDocument/definition', {
      textDocument: { uri: r18uri },
      position: positionOf(r18, 'basic', 2),
    });
    expect(std.uri).toBe(uriOf('std/resnet.resdsl'));
    expect(std.range.start).toEqual(positionOf(fs.readFileSync('std/resnet.resdsl', 'utf8'), 'basic(planes'));
    const use = await client.request<{ uri: string }>('textDocument/definition', { textDocument: { uri: r18uri }, position: positionOf(r18, 'std/resnet', 4) });
    expect(use.uri).toBe(uriOf('std/resnet.resdsl'));
  });

  it('finds references, lists symbols, completes and helps with signatures, and formats', async () => {
    const uri = uriOf('examples/seed.resdsl');
    const refs = await client.request<{ uri: string; range: { start: unknown } }[]>('textDocument/references', {
      textDocument: { uri },
      position: positionOf(seed, 'block resblk', 7),
      context: { includeDeclaration: true },
    });
    expect(refs.map((r) => r.range.start)).toEqual(expect.arrayContaining([positionOf(seed, 'resblk(in, out)'), positionOf(seed, 'resblk(64, 256)')]));
    const symbols = await client.request<{ name: string; kind: number; children: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual(['ResBlk', 'resblk', 'plain', 'bottleneck', 'seed_blocks', 'seed_net']);
    expect(symbols.find((s) => s.name === 'seed_blocks')!.children.map((c) => c.name)).toEqual(['two_3x3', 'bottleneck']);
    // completion of keyword arguments inside a call, with defaults
    const text = 'network n {\n  input img: f32[N, 3, 8, 8]\n  conv3(8, \n}\n';
    const u2 = uriOf(path.join(dir, 'complete.resdsl'));
    client.open(u2, text);
    const items = await client.request<{ label: string; detail?: string }[]>('textDocument/completion', { textDocument: { uri: u2 }, position: positionOf(text, 'conv3(8, ', 9) });
    expect(items.find((i) => i.label === 'stride =')?.detail).toBe('stride = 1');
    expect(items.map((i) => i.label)).not.toContain('out =');
    const stmt = await client.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri }, position: positionOf(seed, '  gap; flatten; fc(10)', 2) });
    expect(stmt.map((i) => i.label)).toEqual(expect.arrayContaining(['conv3', 'bn', 'relu', 'resblk', 'plain', 'input', 'expect']));
    const help = await client.request<{ signatures: { label: string }[]; activeParameter: number }>('textDocument/signatureHelp', { textDocument: { uri: u2 }, position: positionOf(text, 'conv3(8, ', 9) });
    expect(help.signatures[0]!.label).toMatch(/^conv3\(out = the block's out, stride = 1/);
    expect(help.activeParameter).toBe(1);
    const edits = await client.request<{ newText: string }[]>('textDocument/formatting', { textDocument: { uri: u2 }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toEqual([]); // a file with a syntax error is left alone
    const messy = 'network n {input img: f32[N,3,8,8]\n relu}\n';
    client.change(u2, messy, 2);
    const fmt = await client.request<{ newText: string }[]>('textDocument/formatting', { textDocument: { uri: u2 }, options: { tabSize: 2, insertSpaces: true } });
    expect(fmt[0]!.newText).toBe('network n {\n  input img: f32[N, 3, 8, 8]\n  relu\n}\n');
  });

  it('offers a quick fix for a misspelled layer', async () => {
    const text = 'network n {\n  input img: f32[N, 3, 8, 8]\n  conv3(8); rleu\n}\n';
    const uri = uriOf(path.join(dir, 'quickfix.resdsl'));
    client.open(uri, text);
    const at = positionOf(text, 'rleu', 1);
    const actions = await client.request<{ title: string; kind: string; edit: { changes: Record<string, { range: { start: unknown }; newText: string }[]> } }[]>(
      'textDocument/codeAction',
      { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } },
    );
    expect(actions.map((x) => [x.title, x.kind])).toEqual([['replace with `relu`', 'quickfix']]);
    expect(actions[0]!.edit.changes[uri]).toEqual([{ range: { start: positionOf(text, 'rleu'), end: positionOf(text, 'rleu', 4) }, newText: 'relu' }]);
  });

  it('renames a block across the files that use it, and refuses with a reason', async () => {
    const lib = path.join(dir, 'rename-lib.resdsl');
    const main = path.join(dir, 'rename-main.resdsl');
    const libText = 'block blk(out, width = 1) <conv3(out * width); bn; relu>\n';
    const mainText = 'use "./rename-lib.resdsl"\n\nnetwork n {\n  input img: f32[N, 3, 8, 8]\n  blk(8, width = 2); blk(8)\n}\n';
    fs.writeFileSync(lib, libText);
    fs.writeFileSync(main, mainText);
    client.open(uriOf(main), mainText);
    const prep = await client.request<{ range: { start: unknown }; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uriOf(main) }, position: positionOf(mainText, 'blk(8)', 1) });
    expect(prep.placeholder).toBe('blk');
    const edit = await client.request<{ changes: Record<string, { range: { start: unknown }; newText: string }[]> }>('textDocument/rename', {
      textDocument: { uri: uriOf(main) },
      position: positionOf(mainText, 'blk(8)', 1),
      newName: 'unit',
    });
    expect(Object.keys(edit.changes).sort()).toEqual([uriOf(lib), uriOf(main)].sort());
    expect(edit.changes[uriOf(lib)]!.map((e) => e.range.start)).toEqual([positionOf(libText, 'blk')]);
    expect(edit.changes[uriOf(main)]!.map((e) => e.newText)).toEqual(['unit', 'unit']);
    // a keyword argument renames with its parameter
    const param = await client.request<{ changes: Record<string, { range: { start: unknown } }[]> }>('textDocument/rename', {
      textDocument: { uri: uriOf(main) },
      position: positionOf(mainText, 'width = 2', 1),
      newName: 'factor',
    });
    expect(param.changes[uriOf(main)]!.map((e) => e.range.start)).toEqual([positionOf(mainText, 'width = 2')]);
    expect(param.changes[uriOf(lib)]!.length).toBe(2);
    await expect(
      client.request('textDocument/rename', { textDocument: { uri: uriOf(main) }, position: positionOf(mainText, 'blk(8)', 1), newName: 'relu' }),
    ).rejects.toThrow(/would give/);
    // a block of std: opened in another test; open it here too (the server keeps one copy per URI)
    const r18 = fs.readFileSync('examples/resnet18.resdsl', 'utf8');
    client.open(uriOf('examples/resnet18.resdsl'), r18);
    await expect(
      client.request('textDocument/prepareRename', { textDocument: { uri: uriOf('examples/resnet18.resdsl') }, position: positionOf(r18, 'basic', 2) }),
    ).rejects.toThrow(/standard library/);
  });

  it('shows errors across used files: in the used file, and at the use that reaches it', async () => {
    const lib = path.join(dir, 'lib.resdsl');
    const main = path.join(dir, 'main.resdsl');
    fs.writeFileSync(lib, 'block blk(out) <conv3; bn; relu> + shortcut\n');
    const mainText = 'use "./lib.resdsl"\n\nnetwork n {\n  input img: f32[N, 3, 8, 8]\n  blk(8, width = 2)\n}\n';
    fs.writeFileSync(main, mainText);
    client.open(uriOf(main), mainText);
    const p = await diagnosticsOf(uriOf(main), (x) => x.diagnostics.length > 0);
    expect(p.diagnostics[0]!.code).toBe('E0104');
    expect(p.diagnostics[0]!.relatedInformation?.[0]?.location.uri).toBe(uriOf(lib));
    // a syntax error in the used file, open in the editor but not saved
    client.open(uriOf(lib), 'block blk(out) <conv3; bn; relu + shortcut\n');
    client.change(uriOf(main), mainText.replace(', width = 2', ''), 2);
    const q = await diagnosticsOf(uriOf(main), (x) => x.diagnostics.some((d) => d.code === 'E0002'));
    const d = q.diagnostics.find((x) => x.code === 'E0002')!;
    expect(d.range.start).toEqual(positionOf(mainText, '"./lib.resdsl"'));
    expect(d.message).toContain('lib.resdsl');
    await diagnosticsOf(uriOf(lib), (x) => x.diagnostics.some((e) => e.code === 'E0002'));
  });
});

describe('resdsl lsp on any document', () => {
  it('stays up and answers through the process on generated and broken documents', async () => {
    const client = new LspClient();
    await client.initialize(path.resolve('examples'));
    const docs = fc.sample(texts, { seed: fuzzSeed, numRuns: 12 });
    for (const [i, text] of docs.entries()) {
      const uri = uriOf(`test/lsp/fuzz-${i}.resdsl`);
      client.open(uri, text);
      const end = text.split('\n').length;
      for (const line of [0, Math.floor(end / 2), end]) {
        const position = { line, character: 3 };
        await client.request('textDocument/hover', { textDocument: { uri }, position });
        await client.request('textDocument/definition', { textDocument: { uri }, position });
        await client.request('textDocument/completion', { textDocument: { uri }, position });
        await client.request('textDocument/signatureHelp', { textDocument: { uri }, position });
        await client.request('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
        // refused (an error answer) or a workspace edit: either way the server stays up
        await client.request('textDocument/rename', { textDocument: { uri }, position, newName: 'renamed_name' }).catch(() => undefined);
      }
      await client.request('textDocument/documentSymbol', { textDocument: { uri } });
      await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      client.notify('textDocument/didClose', { textDocument: { uri } });
    }
    expect(client.exited).toBeUndefined();
    expect(client.stderr).toBe('');
    // a request that failed would have been logged (and answered with nothing)
    expect(client.notifications.filter((n) => n.method === 'window/logMessage')).toEqual([]);
    expect(await client.stop()).toBe(0);
  }, 120_000);
});
