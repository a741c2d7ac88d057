/**
 * Block templates for the program generator: residual blocks written in the language's forms
 * (braced body, `= layer`, a bare layer), with defaults that use earlier parameters, shortcuts of
 * every kind (policy parameter, unspecified, identity, an explicit labelled projection, an
 * averaging path), repetition inside a block, a block that calls another, and the blocks of
 * std/resnet. Each knows the shape it gives, so that the generator knows what a program computes.
 */
import { Choices, strided, windowOut, type Shape } from './choices.js';

export interface Template {
  /** The block's definition, or undefined for a block of std/resnet. */
  def?: (name: string) => string;
  /** Takes a `stride` parameter (so `x n with first(stride = 2)` and `blk(c, stride = 2)` work). */
  stride: boolean;
  /** Its shortcut's policy is left to the command line: the first argument must not shrink channels (option A cannot). */
  grows: boolean;
  /** The output for an input, its first argument and a stride; undefined where the block does not fit. */
  apply(input: Shape, arg: number, stride: number): Shape | undefined;
  /** Extra named arguments for a call, as `, name = value` text. */
  extra?(ch: Choices, input: Shape, arg: number): string;
}

const os = (input: Shape, c: number, s: number): Shape | undefined =>
  input.rank === 4 ? { rank: 4, c, h: strided(input.h, s), w: strided(input.w, s) } : undefined;

const basicLike: Template = {
  def: (n) => `block ${n}(out, stride = 1, policy = B) {\n  <conv3(stride = stride); bn; relu; conv3; bn> + shortcut(policy)\n  relu\n}`,
  stride: true,
  grows: false,
  apply: (i, a, s) => os(i, a, s),
  extra: (ch, i, a) => ch.pick(['', '', ', policy = B', ', policy = C', ...(a >= i.c ? [', policy = A'] : [])]),
};

const projection: Template = {
  def: (n) => `block ${n}(out, stride = 1) = <conv1(stride = stride); bn; relu; conv3; bn> + proj: <conv1(out, stride = stride); bn>`,
  stride: true,
  grows: false,
  apply: (i, a, s) => os(i, a, s),
};

const widthDefault: Template = {
  def: (n) =>
    `block ${n}(out, stride = 1, width = out * 3 // 4 + 1) {\n  <conv1(width); bn; relu; conv3(width, stride = stride); bn; relu; conv1; bn> + shortcut\n  relu\n}`,
  stride: true,
  grows: true,
  apply: (i, a, s) => os(i, a, s),
};

const averaging: Template = {
  def: (n) =>
    `block ${n}(out, stride = 1) {\n  <conv3(stride = stride); bn; relu; conv3; bn> + <avgpool(k = stride, stride = stride, ceil = true); conv1(out); bn>\n  relu\n}`,
  stride: true,
  grows: false,
  apply(i, a, s) {
    const main = os(i, a, s);
    if (!main) return undefined;
    const side = (x: number) => windowOut(x, s, s, 0, 1, true);
    return side(i.h) === main.h && side(i.w) === main.w ? main : undefined;
  },
};

const preactLabelled: Template = {
  def: (n) => `block ${n}(out, stride = 1) <bn; relu; pre: conv3(stride = stride); bn; relu; conv3> + shortcut(C)`,
  stride: true,
  grows: false,
  apply: (i, a, s) => os(i, a, s),
};

const repeated: Template = {
  def: (n) => `block ${n}(out, n = 2) <conv1; bn; relu> x n`,
  stride: false,
  grows: false,
  apply: (i, a) => (i.rank === 4 ? { ...i, c: a } : undefined),
  extra: (ch) => ch.pick(['', ', n = 1', ', n = 3']),
};

/** The identity block: `in` taken from the input, nothing to pass (the call's arguments are chosen by the caller). */
export const identityBlock: Template = {
  def: (n) => `block ${n}(in, out = in) <conv3; bn; relu; conv3; bn> + identity`,
  stride: false,
  grows: false,
  apply: (i) => (i.rank === 4 ? i : undefined),
};

/** A block with a parameter named `param` (a prototype member's name, in the generator), used as the conv's channel multiplier and passed by keyword sometimes. */
export function withParam(param: string): Template {
  return {
    def: (n) => `block ${n}(out, ${param} = 1) <conv3(out * ${param}); bn; relu>`,
    stride: false,
    grows: false,
    apply: (i, a) => (i.rank === 4 ? { ...i, c: a } : undefined),
    extra: (ch) => ch.pick(['', `, ${param} = 1`]),
  };
}

/** A block that calls an earlier one twice, passing its stride to the first call. */
export function wrapper(inner: { name: string; t: Template }): Template {
  return {
    def: (n) => `block ${n}(out, stride = 1) {\n  ${inner.name}(out, stride = stride)\n  ${inner.name}(out)\n}`,
    stride: true,
    grows: inner.t.grows,
    apply(i, a, s) {
      const mid = inner.t.apply(i, a, s);
      return mid && inner.t.apply(mid, a, 1);
    },
  };
}

export const ownTemplates: readonly Template[] = [basicLike, projection, widthDefault, averaging, preactLabelled, repeated, identityBlock];

/** The blocks of std/resnet.resdsl, by name. */
export const stdTemplates: Readonly<Record<string, Template>> = {
  // their `policy = auto` follows --shortcut, which may be A
  basic: { stride: true, grows: true, apply: (i, a, s) => os(i, a, s), extra: basicLike.extra! },
  bottleneck: {
    stride: true,
    grows: true,
    apply: (i, a, s) => os(i, 4 * a, s),
    extra: (ch, _i, a) => ch.pick(['', ', groups = 1', ...(a % 2 === 0 ? [', groups = 2, base_width = 64'] : []), ', policy = C']),
  },
  preact: { stride: true, grows: true, apply: (i, a, s) => os(i, a, s) },
};
