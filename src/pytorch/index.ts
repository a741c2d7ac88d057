/**
 * The PyTorch backend: `resdsl compile FILE --emit pytorch` writes one Python file, importing only
 * torch, with an nn.Module class per block the network uses and one for the network, whose
 * state_dict is the spec's (the names and shapes `compile --weights` reads).
 *
 * It works from the IR after the shortcut pass and before clean-up (dropout, identity and
 * stochastic depth are still there: they act in train()), and from the spec's text: the classes
 * follow the blocks as written (trace.ts walks each use of a block; body.ts writes its class),
 * and every value they compute is checked against each use (slots.ts), so the code is the
 * network the compiler built or an error (E0901) says which construct it cannot write.
 */
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { buildScopes, type DeclRef } from '../ir/elaborate/scope.js';
import type { IrGraph } from '../ir/types.js';
import type { BlockDecl, NetworkDecl } from '../parser/ast.js';
import { shortcutPass } from '../passes/shortcut.js';
import { runPipeline, type PipelineOptions } from '../pipeline/index.js';
import { version } from '../version.js';
import { blockClass, blockClasses, className, networkClass, shape, type EmitContext } from './classes.js';
import { Unsupported } from './errors.js';
import { preludeFunctions } from './prelude.js';
import { calledNames, render, wrapWords, type PyStmt } from './py/format.js';
import { pyIdent } from './signature.js';
import { traceNetwork } from './trace.js';

export type EmitResult =
  | { ok: true; text: string; graph: IrGraph; className: string; sources: Map<string, string>; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string> };

export interface EmitOptions extends Omit<PipelineOptions, 'weights' | 'fuse' | 'expectations'> {
  /** How the command that wrote the file is shown in its header (`resdsl compile net.resdsl --emit pytorch`). */
  command?: string;
}

/** The network of `file` (the only one, or `opts.network`) as a PyTorch module's source. */
export function emitPyTorch(file: string, opts: EmitOptions): EmitResult {
  const s = runPipeline(file, 'elaborate', { ...opts, single: opts.network === undefined });
  const net = s.networks[0];
  if (hasErrors(s.diagnostics) || !net || !s.program?.root) return { ok: false, diagnostics: s.diagnostics, sources: s.sources };
  const after = shortcutPass.run(net.graph, { shortcut: opts.shortcut });
  if (hasErrors(after.diagnostics)) return { ok: false, diagnostics: [...s.diagnostics, ...after.diagnostics], sources: s.sources };
  const { scopes } = buildScopes(s.program);
  const ref = scopes.get(s.program.root.absPath)!.get(net.name) as DeclRef & { decl: NetworkDecl };
  try {
    const text = emit(file, opts, ref, net.graph, after.graph, scopes, s.sources);
    return { ok: true, ...text, graph: after.graph, sources: s.sources, diagnostics: s.diagnostics };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, diagnostics: [...s.diagnostics, e.diagnostic], sources: s.sources };
    throw e;
  }
}

function emit(file: string, opts: EmitOptions, ref: DeclRef & { decl: NetworkDecl }, graph: IrGraph, after: IrGraph, scopes: EmitContext['scopes'], sources: Map<string, string>): { text: string; className: string } {
  const root = traceNetwork(ref, scopes, graph, after);
  const ctx: EmitContext = { types: graph.types, sources, scopes, policy: opts.shortcut, helpers: new Map(), outputs: new Map() };
  const taken = new Set(['StochasticDepth', 'LayerNorm2d', 'Permute', 'PadChannels', 'SHORTCUT_POLICY']);
  const netName = pyIdent(className(ref.decl.name.name), taken);
  taken.add(netName);
  // a parameter whose computed default the body needs as an integer is computed as one (a second pass)
  let coerce = new Map<BlockDecl, Set<string>>();
  let classes = blockClasses(ctx, root, new Set(taken), coerce);
  let written = classes.map((k) => blockClass(ctx, k, classes));
  if (written.some((w) => w.intUses.size > 0)) {
    coerce = new Map(classes.map((k, i) => [k.decl, eligible(k, written[i]!.intUses)]));
    ctx.helpers.clear();
    classes = blockClasses(ctx, root, new Set(taken), coerce);
    written = classes.map((k) => blockClass(ctx, k, classes));
  }
  const network = networkClass(ctx, root, ref.decl, graph, classes, netName);
  const body = [...written.map((w) => w.stmt), network];
  const code = render(spaced(body)).join('\n');
  const functions = preludeFunctions(calledNames(body));
  const helpers = [...ctx.helpers].sort(([a], [b]) => helperOrder(a) - helperOrder(b)).map(([, v]) => v);
  const usesShortcut = ctx.helpers.has('shortcut');
  const parts: string[] = [header(file, opts, ref.decl.name.name, netName, graph, usesShortcut)];
  const imports = [...(/\btorch\./.test(code + helpers.join('\n')) ? ['import torch'] : []), 'from torch import nn'];
  parts.push(imports.join('\n'));
  if (usesShortcut) parts.push(`# what shortcut(..., "auto") follows: the --shortcut of the compile\nSHORTCUT_POLICY = "${opts.shortcut}"`);
  for (const f of [...functions, ...helpers]) parts.push(f.replace(/\n+$/, ''));
  parts.push(code);
  return { text: `${parts.join('\n\n\n')}\n`, className: netName };
}

/** Helper functions before classes, and shortcut() after PadChannels, which it uses. */
function helperOrder(name: string): number {
  return name === 'shortcut' ? 2 : /^[a-z]/.test(name) ? 0 : 1;
}

/** The parameters of a class that can be computed as integers: in every use, the default gives a whole float equal to the value. */
function eligible(k: ReturnType<typeof blockClasses>[number], uses: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const spec of uses) {
    const p = k.sig.params.find((q) => q.spec === spec)!;
    if (k.instances.every((inst) => k.sig.defaultGives(p, k.sig.env(inst)) && Number.isInteger((k.sig.env(inst).get(p.py) as { v: number }).v))) out.add(spec);
  }
  return out;
}

/** Classes two blank lines apart (PEP 8). */
function spaced(stmts: readonly PyStmt[]): PyStmt[] {
  return stmts.flatMap((s, i) => (i === 0 ? [s] : [{ k: 'blank' } as const, { k: 'blank' } as const, s]));
}

function header(file: string, opts: EmitOptions, network: string, cls: string, graph: IrGraph, usesShortcut: boolean): string {
  const command = opts.command ?? `resdsl compile ${file}${opts.network !== undefined ? ` -n ${opts.network}` : ''}${opts.shortcut !== 'B' ? ` --shortcut ${opts.shortcut}` : ''} --emit pytorch`;
  const input = graph.inputs[0]!;
  const paragraphs = [
    `${network} as a PyTorch module, written by resdsl ${version} from ${file}: \`${command}\`. Change the spec and write the file again rather than editing it.`,
    `    model = ${cls}()  # input ${input.name}: ${shape(input.type)}`,
    `Its state_dict has the names and shapes of the spec's weights, those \`resdsl compile --weights\` reads (and torchvision's, for the networks written as torchvision builds them), so that a checkpoint of it, saved as safetensors, compiles to ONNX (see examples/train in resdsl's repository).`,
    'How the spec maps to the code:',
    '- Each block is a class. Its constructor takes the channels of its input first (in_channels, the spec\'s `in`), then the block\'s parameters, with the spec\'s defaults; the network\'s class builds the blocks with the values the network gives them.',
    '- A statement of a block is an attribute named as the spec names its weights (conv1, layer2, downsample): an unlabelled path is its layers, a labelled one an nn.Sequential (built from a list where items are conditional, so that the later ones take the next index, as in the spec).',
    '- `X if c` is an `if` in __init__ and, where forward depends on it, a flag (self.residual) tested in forward.',
    '- `A + B` and `A * B` apply both operands to the same input: out = out + self.downsample(x).',
    ...(usesShortcut ? ['- A shortcut is shortcut(), which resolves it as the shortcut pass of the compile did: the identity where the path keeps the shape, else a projection (1x1 conv and batch norm) or, under option A, subsampling and zero channels.'] : []),
    '- Batch norms update their statistics in train(); dropout and stochastic depth act in train() and are the identity in eval().',
  ];
  const lines: string[] = [];
  paragraphs.forEach((p, i) => {
    if (i > 0 && !p.startsWith('- ')) lines.push('');
    if (p.startsWith('    ')) lines.push(p);
    else if (p.startsWith('- ')) lines.push(...wrapWords(p.slice(2), 79, '  ').map((l, j) => (j === 0 ? `- ${l.slice(2)}` : l)));
    else lines.push(...wrapWords(p, i === 0 ? 76 : 79));
  });
  lines[0] = `"""${lines[0]}`;
  return [...lines, '"""'].join('\n');
}

