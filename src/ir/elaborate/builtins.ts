/**
 * The built-in layers of the language and how their arguments become op attributes:
 * conv / convK, bn, relu, sigmoid, maxpool / maxpoolK, avgpool / avgpoolK, gap, flatten, fc,
 * dropout, identity. (`shortcut` is not a layer: it only appears as a residual operand.)
 */
import type { Span } from '../../diagnostics/span.js';
import type { Attrs, OpName } from '../types.js';
import { fail } from './abort.js';
import { bindBuiltinArgs, boolArg, intArg, numArg, type ArgSpec } from './args.js';
import type { BoundArg } from './values.js';

export interface BuiltinUse {
  op: OpName;
  /** The kernel size fixed by the name (`conv3`, `maxpool2`), if any. */
  k?: number;
}

const plain: Record<string, OpName> = {
  conv: 'conv',
  bn: 'bn',
  relu: 'relu',
  sigmoid: 'sigmoid',
  maxpool: 'maxpool',
  avgpool: 'avgpool',
  gap: 'gap',
  flatten: 'flatten',
  fc: 'fc',
  dropout: 'dropout',
  identity: 'identity',
};

const resolved = new Map<string, BuiltinUse | undefined>();

export function resolveBuiltin(name: string): BuiltinUse | undefined {
  if (resolved.has(name)) return resolved.get(name);
  const op = plain[name];
  const m = op ? null : /^(conv|maxpool|avgpool)([1-9][0-9]?)$/.exec(name);
  const use: BuiltinUse | undefined = op ? { op } : m ? { op: m[1] as OpName, k: Number(m[2]) } : undefined;
  if (resolved.size < 1000) resolved.set(name, use);
  return use;
}

export function isBuiltinName(name: string): boolean {
  return resolveBuiltin(name) !== undefined || name === 'shortcut';
}

const convArgs: ArgSpec[] = [
  { name: 'out', kind: 'int', positional: true },
  { name: 'k', kind: 'int' },
  { name: 'stride', kind: 'int' },
  { name: 'pad', kind: 'int' },
  { name: 'dilation', kind: 'int' },
  { name: 'groups', kind: 'int' },
  { name: 'bias', kind: 'bool' },
];
const poolArgs: ArgSpec[] = [
  { name: 'k', kind: 'int', positional: true },
  { name: 'stride', kind: 'int' },
  { name: 'pad', kind: 'int' },
  { name: 'ceil', kind: 'bool' },
];

const argSpecs: Record<OpName, ArgSpec[]> = {
  conv: convArgs,
  bn: [{ name: 'eps', kind: 'number' }],
  relu: [],
  sigmoid: [],
  maxpool: poolArgs,
  avgpool: [...poolArgs, { name: 'count_include_pad', kind: 'bool' }],
  gap: [],
  flatten: [],
  fc: [
    { name: 'out', kind: 'int', positional: true },
    { name: 'bias', kind: 'bool' },
  ],
  dropout: [{ name: 'p', kind: 'number', positional: true }],
  identity: [],
  add: [],
  shortcut: [],
  pad_channels: [],
};

/** The argument lists of `convK`, `maxpoolK`, `avgpoolK`: the kernel is in the name. */
const withoutK = Object.fromEntries(Object.entries(argSpecs).map(([op, specs]) => [op, specs.filter((s) => s.name !== 'k')])) as Record<OpName, ArgSpec[]>;

/**
 * The attributes of a built-in layer call. `blockOut` is the enclosing block's `out` parameter
 * (a conv without an output channel count produces it).
 */
export function builtinAttrs(name: string, use: BuiltinUse, args: readonly BoundArg[], callSpan: Span, blockOut: number | undefined): Attrs {
  const specs = use.k === undefined ? argSpecs[use.op] : withoutK[use.op];
  const b = bindBuiltinArgs(name, specs, args, callSpan);
  const positive = (key: string, v: number | undefined) => {
    if (v !== undefined && v < 1) fail('E0109', `${key} of ${name} must be at least 1, found ${v}`, b.get(key)!.span);
    return v;
  };
  const nonNegative = (key: string, v: number | undefined) => {
    if (v !== undefined && v < 0) fail('E0109', `${key} of ${name} must be at least 0, found ${v}`, b.get(key)!.span);
    return v;
  };
  switch (use.op) {
    case 'conv': {
      const k = positive('k', use.k ?? intArg(b, 'k'));
      if (k === undefined) fail('E0106', `${name} needs a kernel size`, callSpan, { help: 'write conv(out, k = 3) or conv3(out)' });
      const out = positive('out', intArg(b, 'out')) ?? blockOut;
      if (out === undefined)
        fail('E0110', `${name} needs an output channel count`, callSpan, {
          help: `write ${name}(64), or use it inside a block with an out parameter`,
        });
      const dilation = positive('dilation', intArg(b, 'dilation')) ?? 1;
      return {
        out,
        k,
        stride: positive('stride', intArg(b, 'stride')) ?? 1,
        pad: nonNegative('pad', intArg(b, 'pad')) ?? Math.floor((dilation * (k - 1)) / 2),
        dilation,
        groups: positive('groups', intArg(b, 'groups')) ?? 1,
        bias: boolArg(b, 'bias') ?? false,
      };
    }
    case 'bn': {
      const eps = numArg(b, 'eps') ?? 1e-5;
      if (!(eps > 0)) fail('E0109', `eps of bn must be positive, found ${eps}`, b.get('eps')!.span);
      return { eps };
    }
    case 'maxpool':
    case 'avgpool': {
      const k = positive('k', use.k ?? intArg(b, 'k'));
      if (k === undefined) fail('E0106', `${name} needs a kernel size`, callSpan, { help: `write ${name}2 or ${name}(k = 2)` });
      const attrs: Record<string, number | boolean> = {
        k,
        stride: positive('stride', intArg(b, 'stride')) ?? k,
        pad: nonNegative('pad', intArg(b, 'pad')) ?? 0,
        ceil: boolArg(b, 'ceil') ?? false,
      };
      if (use.op === 'avgpool') attrs.count_include_pad = boolArg(b, 'count_include_pad') ?? true;
      return attrs;
    }
    case 'fc': {
      const out = positive('out', intArg(b, 'out'));
      if (out === undefined) fail('E0106', 'fc needs an output count', callSpan, { help: 'write fc(1000)' });
      return { out, bias: boolArg(b, 'bias') ?? true };
    }
    case 'dropout': {
      const p = numArg(b, 'p') ?? 0.5;
      if (!(p >= 0 && p < 1)) fail('E0109', `p of dropout must be at least 0 and below 1, found ${p}`, b.get('p')!.span);
      return { p };
    }
    default:
      return {};
  }
}

/** Node names for unlabelled layers: conv and bn are numbered per block (`conv1`, `bn2`); others are bare the first time (`relu`, `fc`), then numbered (`relu2`). */
export function counterKind(op: OpName): { kind: string; alwaysNumbered: boolean } {
  if (op === 'conv' || op === 'bn') return { kind: op, alwaysNumbered: true };
  return { kind: op, alwaysNumbered: false };
}
