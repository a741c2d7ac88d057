/**
 * Random small networks for the property tests: channels 1-8, spatial 4-10, random sequences of
 * conv (kernel, stride, groups, bias), bn (eps), relu, residual blocks with any shortcut policy,
 * pre-activation paths, convs with two users, pooling, dropout and identity, and an optional head.
 */
import fc from 'fast-check';
import type { ShortcutPolicy } from '../../src/passes/pass.js';

export type Layer =
  | { kind: 'conv'; c: number; k: 1 | 3; stride: 1 | 2; g: number; bias: boolean }
  | { kind: 'bn'; eps: number }
  | { kind: 'relu' }
  | { kind: 'pass'; op: 'dropout' | 'identity' }
  | { kind: 'res'; c: number; stride: 1 | 2; g: number; bias: boolean; eps: number; policy: '' | ShortcutPolicy }
  | { kind: 'preact'; bias: boolean }
  | { kind: 'twoUsers'; c: number }
  | { kind: 'pool'; op: 'maxpool' | 'avgpool' };

export interface NetSpec {
  cin: number;
  hw: number;
  policy: ShortcutPolicy;
  head: boolean;
  seed: number;
  layers: Layer[];
}

const channels = fc.integer({ min: 1, max: 8 });
const stride = fc.constantFrom<1 | 2>(1, 2);
const eps = fc.constantFrom(1e-5, 1e-3, 0.1, 0.5);

const layer: fc.Arbitrary<Layer> = fc.oneof(
  fc.record({ kind: fc.constant('conv' as const), c: channels, k: fc.constantFrom<1 | 3>(1, 3), stride, g: fc.nat(3), bias: fc.boolean() }),
  fc.record({ kind: fc.constant('bn' as const), eps }),
  fc.record({ kind: fc.constant('relu' as const) }),
  fc.record({ kind: fc.constant('pass' as const), op: fc.constantFrom<'dropout' | 'identity'>('dropout', 'identity') }),
  fc.record({
    kind: fc.constant('res' as const),
    c: channels,
    stride,
    g: fc.nat(3),
    bias: fc.boolean(),
    eps,
    policy: fc.constantFrom<'' | ShortcutPolicy>('', 'A', 'B', 'C'),
  }),
  fc.record({ kind: fc.constant('preact' as const), bias: fc.boolean() }),
  fc.record({ kind: fc.constant('twoUsers' as const), c: channels }),
  fc.record({ kind: fc.constant('pool' as const), op: fc.constantFrom<'maxpool' | 'avgpool'>('maxpool', 'avgpool') }),
);

export const netSpec: fc.Arbitrary<NetSpec> = fc.record({
  cin: channels,
  hw: fc.integer({ min: 4, max: 10 }),
  policy: fc.constantFrom<ShortcutPolicy>('A', 'B', 'C'),
  head: fc.boolean(),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  layers: fc.array(layer, { minLength: 1, maxLength: 7 }),
});

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The pick-th divisor (cyclically) of both channel counts: a valid group count. */
function groups(a: number, b: number, pick: number): number {
  const g = gcd(a, b);
  const ds = Array.from({ length: g }, (_, i) => i + 1).filter((d) => g % d === 0);
  return ds[pick % ds.length]!;
}

function layerText(l: Layer, cur: number, policy: ShortcutPolicy): { text: string; out: number } {
  switch (l.kind) {
    case 'conv':
      return { text: `conv(${l.c}, k = ${l.k}, stride = ${l.stride}, groups = ${groups(cur, l.c, l.g)}, bias = ${l.bias})`, out: l.c };
    case 'bn':
      return { text: `bn(eps = ${l.eps})`, out: cur };
    case 'relu':
      return { text: 'relu', out: cur };
    case 'pass':
      return { text: l.op, out: cur };
    case 'pool':
      return { text: `${l.op}3(stride = 1, pad = 1)`, out: cur };
    case 'preact':
      return { text: `<bn; relu; conv3(${cur}, bias = ${l.bias})> + identity`, out: cur };
    case 'twoUsers':
      return { text: `conv3(${l.c}); <bn; relu> + identity`, out: l.c };
    case 'res': {
      const c = (l.policy || policy) === 'A' ? Math.max(l.c, cur) : l.c; // option A cannot shrink channels
      const first = `conv3(${c}, stride = ${l.stride}, groups = ${groups(cur, c, l.g)}, bias = ${l.bias})`;
      const sc = l.policy ? `shortcut(${l.policy})` : 'shortcut';
      return { text: `<${first}; bn(eps = ${l.eps}); relu; conv3(${c}); bn> + ${sc}`, out: c };
    }
  }
}

/** The DSL text of a spec. */
export function netText(s: NetSpec): string {
  const lines = [`network rnd {`, `  input image: f32[N, ${s.cin}, ${s.hw}, ${s.hw}]`];
  let cur = s.cin;
  for (const l of s.layers) {
    const { text, out } = layerText(l, cur, s.policy);
    lines.push(`  ${text}`);
    cur = out;
  }
  if (s.head) lines.push('  gap; flatten; fc(3)');
  lines.push('}');
  return lines.join('\n');
}

/** The same spec with every shortcut under option A (for checking the shortcut pass numerically). */
export function allOptionA(s: NetSpec): NetSpec {
  return { ...s, policy: 'A', layers: s.layers.map((l) => (l.kind === 'res' ? { ...l, policy: '' } : l)) };
}
