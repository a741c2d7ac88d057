/**
 * Name tables: for each file, the blocks and networks it can see (its own declarations, then
 * those of the files it uses). A file's own declaration shadows a used one; two declarations of
 * one name in a file, two used files declaring the same name, or a block named like a built-in
 * layer are diagnostics.
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { BlockDecl, NetworkDecl } from '../../parser/ast.js';
import { builtinFunctions } from './functions.js';
import { resolveLayerName } from '../ops/index.js';
import type { Program, SourceFile } from '../../program/load.js';

export interface DeclRef {
  decl: BlockDecl | NetworkDecl;
  /** The file that declares it: its names are what the declaration's body sees. */
  file: SourceFile;
}

export type FileScope = ReadonlyMap<string, DeclRef>;

export function ownDecls(file: SourceFile, diags: Diagnostic[]): Map<string, DeclRef> {
  const own = new Map<string, DeclRef>();
  for (const item of file.ast.items) {
    if (item.kind === 'Use') continue;
    const name = item.name.name;
    if (resolveLayerName(name) || name === 'shortcut' || builtinFunctions.has(name)) {
      const what = builtinFunctions.has(name) ? 'function' : 'layer';
      diags.push(error('E0102', `${name} is a built-in ${what} and cannot be redefined`, item.name.span, { help: 'choose another name' }));
      continue;
    }
    const prev = own.get(name);
    if (prev) {
      diags.push(
        error('E0102', `${name} is defined twice in this file`, item.name.span, {
          labels: [{ span: prev.decl.name.span, message: 'first defined here' }],
        }),
      );
      continue;
    }
    own.set(name, { decl: item, file });
  }
  return own;
}

/** Builds every file's scope once. */
export function buildScopes(prog: Program): { scopes: Map<string, FileScope>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const own = new Map<string, Map<string, DeclRef>>();
  for (const [abs, file] of prog.files) own.set(abs, ownDecls(file, diagnostics));
  const scopes = new Map<string, FileScope>();
  for (const [abs, file] of prog.files) {
    const scope = new Map(own.get(abs)!);
    const imported = new Map<string, DeclRef>();
    for (const use of file.uses) {
      for (const [name, ref] of own.get(use.absPath) ?? []) {
        if (scope.has(name)) continue;
        const prev = imported.get(name);
        if (prev && prev.decl !== ref.decl) {
          diagnostics.push(
            error('E0102', `${name} is defined by two used files, ${prev.file.name} and ${ref.file.name}`, use.decl.span, {
              labels: [{ span: prev.decl.name.span, message: 'one definition' }, { span: ref.decl.name.span, message: 'the other' }],
              help: `define ${name} in this file to choose one`,
            }),
          );
          continue;
        }
        imported.set(name, ref);
      }
    }
    for (const [name, ref] of imported) scope.set(name, ref);
    scopes.set(abs, scope);
  }
  return { scopes, diagnostics };
}
