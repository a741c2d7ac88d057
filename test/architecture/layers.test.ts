/**
 * The architecture, checked: src/ is layered, each layer importing only itself and the layers
 * below it (from the CLI down to the language core, never back up); no file imports itself back
 * through others (type-only imports aside, which vanish at run time); and the core (everything up
 * to the pipeline, the formats and reports, and the JS executor) imports no Node module and uses
 * no Node global, so that it runs in a browser.
 * Imports are read with the TypeScript compiler's own parser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const src = path.join(root, 'src');

/** Lowest first. A path belongs to the first layer with a prefix of it. */
const layers: readonly (readonly string[])[] = [
  ['diagnostics/', 'util/', 'limits.ts', 'version.ts'],
  ['io/'],
  ['parser/'],
  ['fmt/'],
  ['program/'],
  ['ir/types.ts', 'ir/tensor-values.ts', 'ir/ops/', 'ir/node.ts', 'ir/print.ts', 'ir/verify.ts', 'ir/stats.ts', 'ir/expect.ts'],
  ['ir/elaborate/'],
  ['passes/', 'weights/'],
  ['onnx/'],
  ['pipeline/'],
  ['report/', 'graph/'],
  ['pytorch/'],
  ['runtime/js/'],
  ['runtime/run-model.ts'],
  ['node/'],
  ['lsp/'],
  ['cli/'],
];
/**
 * The layers that may use Node: the runner beside onnxruntime-node, the Node host (the executor's
 * threads among it), the language server, the CLI. The executor itself (runtime/js/) may not.
 */
const nodeLayers = new Set(['runtime/run-model.ts', 'node/', 'lsp/', 'cli/']);
/** Node's globals, which a browser does not have (a `typeof` test of one is allowed). */
const nodeGlobals = new Set(['process', 'require', 'Buffer', '__dirname', '__filename']);

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

const rel = (f: string) => path.relative(src, f).split(path.sep).join('/');
function layerOf(f: string): number {
  const r = rel(f);
  const i = layers.findIndex((l) => l.some((p) => r === p || r.startsWith(p)));
  if (i < 0) throw new Error(`${r} belongs to no layer: add it to test/architecture/layers.test.ts`);
  return i;
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

/** The module specifiers a file imports or re-exports (static and dynamic), with whether only types are. */
function importsOf(file: string): Import[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(n) ? (n.importClause?.isTypeOnly ?? false) : n.isTypeOnly;
      out.push({ spec: n.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      out.push({ spec: n.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Uses of Node's globals in a file, outside `typeof` (`process.env` at line 12 -> 'process:12'). */
function nodeGlobalsIn(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node, inTypeof: boolean) => {
    if (ts.isTypeOfExpression(n)) inTypeof = true;
    if (ts.isIdentifier(n) && nodeGlobals.has(n.text) && !inTypeof) {
      const p = n.parent;
      // a property name (`x.process`, `{ process: 1 }`) or a type is not the global
      const isName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n) || ts.isTypeReferenceNode(p) || ts.isQualifiedName(p);
      if (!isName) out.push(`${n.text}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
    }
    ts.forEachChild(n, (c) => visit(c, inTypeof));
  };
  visit(sf, false);
  return out;
}

const all = files(src);
const graph = new Map(
  all.map((f) => [
    f,
    importsOf(f).map((i) => ({ ...i, target: i.spec.startsWith('.') ? path.resolve(path.dirname(f), i.spec).replace(/\.js$/, '.ts') : undefined })),
  ]),
);

describe('the architecture of src/', () => {
  it('puts every file in a layer', () => {
    for (const f of all) expect(() => layerOf(f)).not.toThrow();
  });

  it('imports only downward: no layer imports one above it', () => {
    const upward: string[] = [];
    for (const [f, imps] of graph)
      for (const i of imps) if (i.target && layerOf(i.target) > layerOf(f)) upward.push(`${rel(f)} -> ${rel(i.target)}`);
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const walk = (f: string, stack: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const i of graph.get(f) ?? []) if (i.target && !i.typeOnly) walk(i.target, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of all) walk(f, []);
    expect(cycles).toEqual([]);
  });

  it('keeps Node out of the core and the executor: only the Node host, the language server and the CLI import node: modules', () => {
    const offenders: string[] = [];
    const builtins = new Set(['fs', 'path', 'os', 'url', 'crypto', 'module', 'child_process', 'worker_threads', 'util', 'v8', 'process', 'buffer', 'stream']);
    for (const [f, imps] of graph) {
      const layer = layers[layerOf(f)]!;
      if (layer.some((p) => nodeLayers.has(p))) continue;
      for (const i of imps) if (i.spec.startsWith('node:') || builtins.has(i.spec.split('/')[0]!)) offenders.push(`${rel(f)} imports ${i.spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it('keeps Node out of the core and the executor: no Node global (process, require, Buffer) either', () => {
    const offenders: string[] = [];
    for (const f of all) {
      if (layers[layerOf(f)]!.some((p) => nodeLayers.has(p))) continue;
      for (const g of nodeGlobalsIn(f)) offenders.push(`${rel(f)} uses ${g}`);
    }
    expect(offenders).toEqual([]);
  });
});
