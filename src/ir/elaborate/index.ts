/**
 * Elaboration of a program: every concrete network of the root file (or the one asked for),
 * each into an IR graph with its expectations. A network stops at its first error; the others
 * go on. Generic networks (with parameters lacking defaults) are templates, elaborated only
 * through the networks defined from them.
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { NetworkDecl } from '../../parser/ast.js';
import type { Program } from '../../program/load.js';
import { buildScopes, type DeclRef } from '../../program/scope.js';
import { Abort } from './abort.js';
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
}

function isConcrete(d: NetworkDecl): boolean {
  return d.base !== undefined || d.params.every((p) => p.default !== undefined);
}

export function elaborateProgram(prog: Program, opts: ElaborateOptions = {}): Elaboration {
  const diagnostics = [...prog.diagnostics];
  if (!prog.root || diagnostics.some((d) => d.severity === 'error')) return { networks: [], diagnostics };
  const { scopes, diagnostics: scopeDiags } = buildScopes(prog);
  for (const d of scopeDiags) diagnostics.push(d); // a loop: a spread of 100,000 items overflows the stack
  if (scopeDiags.length) return { networks: [], diagnostics };
  const root = prog.root;
  const all = root.ast.items.filter((i): i is NetworkDecl => i.kind === 'Network');
  const fileStart = { file: root.name, start: 0, end: 0 };
  let chosen: NetworkDecl[];
  if (opts.network !== undefined) {
    const found = all.find((n) => n.name.name === opts.network);
    if (!found) {
      const names = all.map((n) => n.name.name);
      diagnostics.push(
        error('E0112', `no network named ${opts.network} in ${root.name}`, fileStart, {
          help: names.length ? `the file holds ${names.join(', ')}` : 'the file holds no network',
        }),
      );
      return { networks: [], diagnostics };
    }
    if (!isConcrete(found)) {
      const missing = found.params.filter((p) => p.default === undefined).map((p) => p.name.name);
      diagnostics.push(
        error('E0117', `network ${found.name.name} needs arguments for ${missing.join(', ')}`, found.name.span, {
          help: `define a network from it: network my_net = ${found.name.name}(${missing.join(', ')})`,
        }),
      );
      return { networks: [], diagnostics };
    }
    chosen = [found];
  } else {
    chosen = all.filter(isConcrete);
    if (opts.single && chosen.length !== 1) {
      diagnostics.push(
        error(
          'E0112',
          chosen.length === 0 ? `${root.name} holds no network to compile` : `${root.name} holds ${chosen.length} networks`,
          fileStart,
          chosen.length ? { help: `choose one with -n: ${chosen.map((n) => n.name.name).join(', ')}` } : {},
        ),
      );
      return { networks: [], diagnostics };
    }
  }
  const networks: ElaboratedNetwork[] = [];
  for (const decl of chosen) {
    const ref = scopes.get(root.absPath)!.get(decl.name.name) as DeclRef & { decl: NetworkDecl };
    if (!ref || ref.decl !== decl) continue; // a duplicate, already reported
    try {
      networks.push(elaborateNetwork(newCtx(scopes), ref, [], decl.span, decl.name.name));
    } catch (e) {
      if (e instanceof Abort) diagnostics.push(e.diagnostic);
      else throw e;
    }
  }
  return { networks, diagnostics };
}
