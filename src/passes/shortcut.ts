/**
 * Shortcut resolution, by the policy of the ResNet paper (He et al. 2015, section 3.3):
 *  - B (default): identity where the path keeps the shape; where it changes, a projection:
 *    1x1 conv with the path's stride, then batch norm (`downsample.0`, `downsample.1`).
 *  - A: identity, or subsampling with the stride (a 1x1 average pool) and zero-padded channels
 *    ((out - in) / 2 before, the rest after); no parameters. It cannot shrink channels.
 *  - C: a projection on every shortcut.
 * A block's `shortcut(A|B|C)` overrides the compile-wide policy.
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { makeNode, renameInputs, renameOutputs } from '../ir/node.js';
import { formatType, type IrGraph, type IrNode, type ParamTensor, type TensorType } from '../ir/types.js';
import type { Pass, PassOptions, ShortcutPolicy } from './pass.js';

function resolveOne(n: IrNode, input: TensorType, policy: ShortcutPolicy, diags: Diagnostic[]): { nodes: IrNode[]; types: [string, TensorType][]; params: ParamTensor[]; result: string } | undefined {
  const out = n.attrs.out as number;
  const stride = n.attrs.stride as number;
  const inC = input.shape[1] as number;
  const origin = { span: n.span, expansion: n.expansion, insertedBy: 'shortcut' };
  const same = out === inC && stride === 1;
  if (same && policy !== 'C') return { nodes: [], types: [], params: [], result: n.inputs[0]! };
  const acc = { nodes: [] as IrNode[], types: [] as [string, TensorType][], params: [] as ParamTensor[] };
  let cur = n.inputs[0]!;
  let curType = input;
  // every attribute not given is the op's declared default (ir/ops/*.ts)
  const push = (op: Parameters<typeof makeNode>[0], name: string, attrs: Record<string, number>) => {
    const m = makeNode(op, name, [cur], [curType], attrs, origin);
    acc.nodes.push(m.node);
    acc.types.push([name, m.type]);
    acc.params.push(...m.params);
    cur = name;
    curType = m.type;
  };
  if (policy === 'A') {
    if (out < inC) {
      diags.push(
        error('E0601', `a shortcut of option A cannot shrink ${inC} channels to ${out}`, n.span, {
          notes: [`the shortcut's input is ${formatType(input)}`],
          help: 'use shortcut(B) for a projection',
        }),
      );
      return undefined;
    }
    if (stride > 1) push('avgpool', `${n.name}.subsample`, { k: 1, stride, pad: 0 });
    if (out > inC) {
      const before = Math.floor((out - inC) / 2);
      push('pad_channels', `${n.name}.pad`, { before, after: out - inC - before });
    }
  } else {
    push('conv', `${n.name}.0`, { out, k: 1, stride, pad: 0 });
    push('bn', `${n.name}.1`, {});
  }
  return { ...acc, result: cur };
}

/** W0601: `--shortcut` given for a network none of whose shortcuts follows it (all pin a policy, or there are none). */
function unused(g: IrGraph, policy: ShortcutPolicy): Diagnostic | undefined {
  const shortcuts = g.nodes.filter((n) => n.op === 'shortcut');
  if (shortcuts.some((n) => !n.attrs.policy)) return undefined;
  const why = shortcuts.length ? `every shortcut of network ${g.name} pins its policy` : `network ${g.name} has no shortcut`;
  return warning('W0601', `${why}: --shortcut ${policy} changes nothing`, undefined, {
    ...(shortcuts.length ? { help: `give the policy where it is pinned (\`policy = ${policy}\` as an argument, as std's cifar_resnet takes it), or write \`shortcut(auto)\` to follow --shortcut` } : {}),
  });
}

export function resolveShortcuts(g: IrGraph, opts: PassOptions): { graph: IrGraph; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const warn = opts.shortcutGiven ? unused(g, opts.shortcut) : undefined;
  if (warn) diagnostics.push(warn);
  if (!g.nodes.some((n) => n.op === 'shortcut')) return { graph: g, diagnostics };
  const nodes: IrNode[] = [];
  const types = new Map(g.types);
  const params = new Map(g.params);
  const subst = new Map<string, string>();
  const modules = new Map(g.modules ?? []);
  for (const raw of g.nodes) {
    const n = renameInputs(raw, subst);
    if (n.op !== 'shortcut') {
      nodes.push(n);
      continue;
    }
    const policy = ((n.attrs.policy as string) || opts.shortcut) as ShortcutPolicy;
    const r = resolveOne(n, types.get(n.inputs[0]!)!, policy, diagnostics);
    types.delete(n.name);
    if (!r) {
      subst.set(n.name, n.inputs[0]!); // reported; keep the graph well-formed
      continue;
    }
    nodes.push(...r.nodes);
    if (r.nodes.length) modules.set(n.name, policy === 'A' ? 'shortcut A' : `projection (shortcut ${policy})`);
    for (const [k, t] of r.types) types.set(k, t);
    for (const p of r.params) params.set(p.name, p);
    subst.set(n.name, r.result);
  }
  return { graph: { ...g, nodes, types, params, outputs: renameOutputs(g.outputs, subst), modules }, diagnostics };
}

export const shortcutPass: Pass = {
  name: 'shortcut',
  description: 'resolve each shortcut to identity, option A padding, or a projection (policy A/B/C)',
  optional: false,
  run: resolveShortcuts,
};
