/**
 * Names, checked everywhere: every block and network of a program's files, used by a network or
 * not, has each name it mentions resolved (a parameter, a repetition index, a block or network, a
 * built-in layer or function, a shortcut policy) and each keyword argument checked against what it
 * calls, where that is known without elaborating (a built-in layer or a declared block; a block
 * passed as a parameter is checked where it is called). This is what makes a library of blocks
 * checkable in CI; shapes and values are elaboration's (layers.ts), which finds the same mistakes
 * again inside the networks it expands (the diagnostics are the same, and reported once).
 *
 * It also records what each name means (`refs`), for the editor's go-to-definition and references.
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import type { Arg, BlockDecl, Expr, Label, LayerStmt, NetworkDecl, Stmt, Term, TypeExpr } from '../../parser/ast.js';
import { resolveLayerName, type LayerName } from '../ops/index.js';
import { builtinFunctions } from './functions.js';
import { unknownArgument } from './layer-args.js';
import type { DeclRef, FileScope } from './scope.js';
import { closest, knownNames } from './suggest.js';

/** What a name in the source means. */
export type Meaning =
  | { kind: 'decl'; ref: DeclRef }
  | { kind: 'param'; decl: BlockDecl | NetworkDecl; span: Span }
  | { kind: 'index'; span: Span }
  | { kind: 'layer'; name: string }
  | { kind: 'function'; name: string }
  | { kind: 'policy' };

export interface NameRef {
  span: Span;
  name: string;
  meaning: Meaning;
}

export interface NameCheck {
  diagnostics: Diagnostic[];
  refs: NameRef[];
}

const policies = new Set(['A', 'B', 'C', 'auto']);

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly refs: NameRef[] = [];
  /** Variables in scope, innermost last: name -> where it is declared. */
  private vars: Map<string, Meaning>[] = [];

  constructor(private readonly scope: FileScope) {}

  decl(d: BlockDecl | NetworkDecl): void {
    const params = new Map<string, Meaning>();
    this.vars = [params];
    for (const p of d.params) {
      if (p.default) this.expr(p.default);
      params.set(p.name.name, { kind: 'param', decl: d, span: p.name.span });
    }
    if (d.kind === 'Network' && d.base) {
      const base = this.scope.get(d.base.callee.name);
      if (!base) this.unknown(d.base.callee.name, d.base.callee.span, 'network');
      else {
        this.refs.push({ span: d.base.callee.span, name: d.base.callee.name, meaning: { kind: 'decl', ref: base } });
        if (base.decl.kind === 'Network') this.blockArgs(base, d.base.args);
      }
      for (const a of d.base.args) this.expr(a.value);
    }
    for (const s of d.body) this.stmt(d, s);
  }

  private stmt(d: BlockDecl | NetworkDecl, s: Stmt): void {
    switch (s.kind) {
      case 'Layer':
        return this.layer(s);
      case 'Input':
        if (d.kind === 'Block') this.diagnostics.push(error('E0118', 'input statements belong in a network, not in a block', s.span));
        return this.type(s.type);
      case 'Output':
        if (d.kind === 'Block') this.diagnostics.push(error('E0118', 'output statements belong in a network, not in a block', s.span));
        return;
      case 'Expect':
        if (d.kind === 'Block') this.diagnostics.push(error('E0118', 'expect statements belong in a network, not in a block', s.span));
        if (s.what !== 'output') this.expr(s.value);
        else this.type(s.type);
        return;
    }
  }

  /** A tensor type's dimensions: expressions, but a bare unknown name is a dimension that cannot be symbolic (only N, first). */
  private type(t: TypeExpr): void {
    t.dims.forEach((e, i) => {
      if (e.kind !== 'Name' || this.variable(e.name)) return this.expr(e);
      if (e.name === 'N' && i === 0) return;
      this.diagnostics.push(
        error('E0206', e.name === 'N' ? 'only the first (batch) dimension may be N' : `unknown dimension ${e.name}: only the batch dimension may be symbolic, as N`, e.span),
      );
    });
  }

  private layer(s: LayerStmt): void {
    if (s.when) {
      this.expr(s.when.cond);
      if (s.when.otherwise) this.layer(s.when.otherwise);
    }
    if (s.label?.kind === 'Template' && s.term.kind !== 'Repeat') this.label(s.label);
    this.term(s.term, s.label);
  }

  private term(t: Term, label: Label | undefined): void {
    switch (t.kind) {
      case 'Call':
        return this.call(t.callee.name, t.callee.span, t.args ?? [], []);
      case 'Path':
        return t.items.forEach((i) => this.layer(i));
      case 'Combination':
        return t.operands.forEach((o) => this.layer(o));
      case 'Repeat': {
        this.expr(t.count);
        const inner = new Map<string, Meaning>(t.index ? [[t.index.name, { kind: 'index', span: t.index.span }]] : []);
        this.vars.push(inner);
        if (label?.kind === 'Template') this.label(label);
        if (t.body.kind === 'Call') this.call(t.body.callee.name, t.body.callee.span, t.body.args ?? [], t.first?.args ?? []);
        else this.term(t.body, undefined);
        if (t.first && t.body.kind !== 'Call') t.first.args.forEach((a) => this.expr(a.value));
        this.vars.pop();
        return;
      }
    }
  }

  private label(l: Label): void {
    if (l.kind === 'Template') for (const p of l.parts) if (typeof p !== 'string') this.name(p.name, p.span);
  }

  /** A layer or block call: its callee, and its keyword arguments where the callee is known. */
  private call(name: string, span: Span, args: readonly Arg[], first: readonly Arg[]): void {
    for (const a of [...args, ...first]) this.expr(a.value);
    if (name === 'shortcut' && !this.variable(name)) return; // a residual operand, with its own checks
    const v = this.variable(name);
    if (v) return void this.refs.push({ span, name, meaning: v });
    const ref = this.scope.get(name);
    if (ref) {
      this.refs.push({ span, name, meaning: { kind: 'decl', ref } });
      return this.blockArgs(ref, [...args, ...first]);
    }
    const layer = resolveLayerName(name);
    if (layer) {
      this.refs.push({ span, name, meaning: { kind: 'layer', name } });
      return this.layerArgs(name, layer, [...args, ...first]);
    }
    this.unknown(name, span, 'layer or block');
  }

  private layerArgs(what: string, use: LayerName, args: readonly Arg[]): void {
    const decls = use.form.args.filter((d) => use.size === undefined || d.name !== use.form.sizeInName);
    for (const a of args) if (a.name && !decls.some((d) => d.name === a.name!.name)) this.diagnostics.push(unknownArgument(what, decls, a.name.name, a.span, a.name.span));
  }

  private blockArgs(ref: DeclRef, args: readonly Arg[]): void {
    const names = ref.decl.params.map((p) => p.name.name);
    const what = ref.decl.name.name;
    for (const a of args) {
      if (!a.name) continue;
      const param = ref.decl.params.find((p) => p.name.name === a.name!.name);
      // a keyword argument names the callee's parameter: find references and rename see it
      if (param) {
        this.refs.push({ span: a.name.span, name: a.name.name, meaning: { kind: 'param', decl: ref.decl, span: param.name.span } });
        continue;
      }
      const near = closest(a.name.name, names);
      this.diagnostics.push(
        error('E0104', `${what} has no parameter named ${a.name.name}`, a.span, {
          labels: [{ span: ref.decl.name.span, message: `${what} is defined here` }],
          help: near ? `${what} has a parameter named \`${near}\` (it takes ${names.join(', ')})` : `${what} takes ${names.join(', ') || 'no parameters'}`,
          ...(near ? { suggestion: { span: a.name.span, replacement: near } } : {}),
        }),
      );
    }
  }

  private expr(e: Expr): void {
    switch (e.kind) {
      case 'Name':
        return this.name(e.name, e.span);
      case 'Unary':
        return this.expr(e.operand);
      case 'Binary':
      case 'Compare':
      case 'Logical':
        this.expr(e.left);
        return this.expr(e.right);
      case 'CallExpr': {
        e.args.forEach((a) => this.expr(a.value));
        const name = e.callee.name;
        if (!this.variable(name) && !this.scope.has(name) && builtinFunctions.has(name)) {
          this.refs.push({ span: e.callee.span, name, meaning: { kind: 'function', name } });
          return;
        }
        const ref = this.scope.get(name);
        if (ref && !this.variable(name)) {
          this.refs.push({ span: e.callee.span, name, meaning: { kind: 'decl', ref } });
          return this.blockArgs(ref, e.args);
        }
        return this.name(name, e.callee.span);
      }
      default:
        return;
    }
  }

  private name(name: string, span: Span): void {
    const v = this.variable(name);
    const ref = v ? undefined : this.scope.get(name);
    const meaning: Meaning | undefined =
      v ?? (ref ? { kind: 'decl', ref } : resolveLayerName(name) ? { kind: 'layer', name } : policies.has(name) ? { kind: 'policy' } : undefined);
    if (meaning) this.refs.push({ span, name, meaning });
    else this.unknown(name, span, 'name');
  }

  private variable(name: string): Meaning | undefined {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const m = this.vars[i]!.get(name);
      if (m) return m;
    }
    return undefined;
  }

  private unknown(name: string, span: Span, what: 'name' | 'layer or block' | 'network'): void {
    if (what === 'network') {
      this.diagnostics.push(error('E0101', `unknown network ${name}`, span));
      return;
    }
    const vars = new Map<string, unknown>(this.vars.flatMap((m) => [...m.keys()].map((k) => [k, k] as const)));
    const near = closest(name, knownNames({ vars, scope: this.scope, variable: () => undefined, decl: () => undefined }));
    this.diagnostics.push(error('E0101', `unknown ${what} ${name}`, span, near ? { help: `a similar name exists: \`${near}\``, suggestion: { span, replacement: near } } : {}));
  }
}

/** Checks the names of every declaration of the files given (by path), with each file's scope. */
export function checkNames(files: readonly { absPath: string; decls: readonly (BlockDecl | NetworkDecl)[] }[], scopes: ReadonlyMap<string, FileScope>): NameCheck {
  const diagnostics: Diagnostic[] = [];
  const refs: NameRef[] = [];
  for (const f of files) {
    const c = new Checker(scopes.get(f.absPath)!);
    for (const d of f.decls) c.decl(d);
    for (const x of c.diagnostics) diagnostics.push(x);
    for (const x of c.refs) refs.push(x);
  }
  return { diagnostics, refs };
}
