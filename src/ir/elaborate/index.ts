/**
 * Elaboration of a program: every concrete network of the root file (or the one asked for),
 * each into an IR graph with its expectations. Every statement's errors are reported and
 * elaboration goes on; a network with errors yields no graph. Generic networks (with parameters
 * lacking defaults) are templates, elaborated only through the networks defined from them.
 */
import { error, note, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { BlockDecl, Item, NetworkDecl } from '../../parser/ast.js';
import type { Program } from '../../program/load.js';
import { buildScopes, type DeclRef } from './scope.js';
import { checkNames } from './names.js';
import { closest } from './suggest.js';
import { elaborateNetwork, newCtx, type ElaboratedNetwork } from './network.js';

export type { ElaboratedNetwork, Expectation } from './network.js';

export interface Elaboration {
  networks: ElaboratedNetwork[];
  diagnostics: Diagnostic[];
}

export interface ElaborateOptions {
  /** Only this network (`-n NAME`); without it, every concrete network of the root file. */
  network?: string;
  /** Without `network`: fail unless the root file holds exactly one concrete network. */
  single?: boolean;
  /** Reuse the expansion of a block called again with the same arguments and input type (block-cache.ts); off only to test that reuse changes nothing. */
  reuseExpansions?: boolean;
}

export function isConcrete(d: NetworkDecl): boolean {
  return d.base !== undefined || d.params.every((p) => p.default !== undefined);
}

/** The networks to elaborate, or the diagnostic saying why there are none. */
function choose(all: NetworkDecl[], file: string, opts: ElaborateOptions): NetworkDecl[] | Diagnostic {
  if (opts.network !== undefined) {
    const found = all.find((n) => n.name.name === opts.network);
    if (!found) {
      const names = all.map((n) => n.name.name);
      const near = closest(opts.network, names);
      return error('E0112', `no network named ${opts.network} in ${file}`, file, {
        help: near ? `a network with a similar name exists: ${near}` : names.length ? `the file holds ${names.join(', ')}` : 'the file holds no network',
      });
    }
    if (!isConcrete(found)) {
      const missing = found.params.filter((p) => p.default === undefined).map((p) => p.name.name);
      return error('E0117', `network ${found.name.name} needs arguments for ${missing.join(', ')}`, found.name.span, {
        help: `define a network from it: network my_net = ${found.name.name}(${missing.join(', ')})`,
      });
    }
    return [found];
  }
  const chosen = all.filter(isConcrete);
  if (opts.single && chosen.length !== 1)
    return error(
      'E0112',
      chosen.length === 0 ? `${file} holds no network to compile` : `${file} holds ${chosen.length} networks`,
      file,
      chosen.length ? { help: `choose one with -n: ${chosen.map((n) => n.name.name).join(', ')}` } : {},
    );
  return chosen;
}

export function elaborateProgram(prog: Program, opts: ElaborateOptions = {}): Elaboration {
  const diagnostics = [...prog.diagnostics];
  if (!prog.root || diagnostics.some((d) => d.severity === 'error')) return { networks: [], diagnostics };
  const { scopes, diagnostics: scopeDiags } = buildScopes(prog);
  for (const d of scopeDiags) diagnostics.push(d); // a loop: a spread of 100,000 items overflows the stack
  if (scopeDiags.length) return { networks: [], diagnostics };
  const root = prog.root;
  // every declaration's names, used or not (the standard library is checked by its own tests)
  const own = [...prog.files.values()].filter((f) => !f.name.startsWith('std/'));
  const names = checkNames(
    own.map((f) => ({ absPath: f.absPath, decls: f.ast.items.filter((i): i is BlockDecl | NetworkDecl => i.kind !== 'Use') })),
    scopes,
  );
  for (const d of names.diagnostics) diagnostics.push(d);
  if (opts.network === undefined) for (const d of unusedGeneric(root.ast.items, [...prog.files.values()].flatMap((f) => f.ast.items))) diagnostics.push(d);
  const chosen = choose(
    root.ast.items.filter((i): i is NetworkDecl => i.kind === 'Network'),
    root.name,
    opts,
  );
  if (!Array.isArray(chosen)) return { networks: [], diagnostics: [...diagnostics, chosen] };
  const networks: ElaboratedNetwork[] = [];
  for (const decl of chosen) {
    const ref = scopes.get(root.absPath)!.get(decl.name.name) as DeclRef & { decl: NetworkDecl };
    if (!ref || ref.decl !== decl) continue; // a duplicate, already reported
    const ctx = newCtx(scopes, opts.reuseExpansions ?? true);
    const net = elaborateNetwork(ctx, ref, [], decl.span, decl.name.name);
    for (const d of ctx.diagnostics) if (!diagnostics.some((o) => sameDiagnostic(o, d))) diagnostics.push(d);
    if (net) networks.push(net);
  }
  return { networks, diagnostics };
}

/** The same mistake found twice (by the name check and again by elaboration). */
function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.message === b.message && a.span?.file === b.span?.file && a.span?.start === b.span?.start && a.span?.end === b.span?.end;
}

/** A note for each generic network of the root file that no network is defined from: its names were checked, its shapes could not be. */
function unusedGeneric(items: readonly Item[], all: readonly Item[]): Diagnostic[] {
  const used = new Set(all.filter((i): i is NetworkDecl => i.kind === 'Network' && i.base !== undefined).map((n) => n.base!.callee.name));
  return items
    .filter((i): i is NetworkDecl => i.kind === 'Network' && !isConcrete(i) && !used.has(i.name.name))
    .map((n) => {
      const missing = n.params.filter((p) => p.default === undefined).map((p) => p.name.name);
      return note('N0001', `network ${n.name.name} is generic and no network is defined from it: its names and arguments are checked, its shapes are not`, n.name.span, {
        help: `define a network from it to check its shapes: network my_net = ${n.name.name}(${missing.join(', ')})`,
      });
    });
}
