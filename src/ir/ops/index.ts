/**
 * The table of every op definition, keyed by op name, and the surface names a spec can call
 * (`conv`, `conv3`, `dwconv3`, `relu`...). Adding an op is adding its file and its entry here
 * (docs/adding-an-op.md); an elementwise activation is only an entry in activations.ts.
 */
import { activations } from './activations.js';
import { add } from './add.js';
import { bn } from './bn.js';
import { conv } from './conv.js';
import { fc } from './fc.js';
import { flatten } from './flatten.js';
import { gap } from './gap.js';
import { layerScale } from './layer-scale.js';
import { layernorm } from './layernorm.js';
import { linear } from './linear.js';
import { mul } from './mul.js';
import type { OpDef, SurfaceForm } from './op.js';
import { padChannels } from './pad-channels.js';
import { dropout, identity, stochasticDepth } from './passthrough.js';
import { permute } from './permute.js';
import { avgpool, maxpool } from './pool.js';
import { shortcut } from './shortcut.js';

export const ops = {
  conv,
  bn,
  ...activations,
  maxpool,
  avgpool,
  gap,
  flatten,
  fc,
  linear,
  layernorm,
  permute,
  layer_scale: layerScale,
  dropout,
  stochastic_depth: stochasticDepth,
  identity,
  add,
  mul,
  shortcut,
  pad_channels: padChannels,
} as const satisfies Record<string, OpDef>;

export type OpName = keyof typeof ops;

/** The definition of an op of a graph; an unknown name is a compiler bug (the verifier reports it). */
export function opDef(name: string): OpDef {
  const def = (ops as Record<string, OpDef>)[name];
  if (def === undefined || !Object.hasOwn(ops, name)) throw new Error(`internal: no op named ${name}`);
  return def;
}

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(ops, name);
}

/** A surface name resolved: its op, its form, and the size written in the name (`conv3`: 3). */
export interface LayerName {
  op: OpName;
  form: SurfaceForm;
  size?: number;
}

const byName = new Map<string, { op: OpName; form: SurfaceForm }>();
for (const [op, def] of Object.entries(ops) as [OpName, OpDef][]) for (const form of def.syntax ?? []) byName.set(form.name, { op, form });

const sized = /^([a-z_]+?)([1-9][0-9]?)$/;

const resolved = new Map<string, LayerName | undefined>();

/** The built-in layer a name denotes, or undefined (`conv3` is conv with k = 3; `relu3` is nothing). */
export function resolveLayerName(name: string): LayerName | undefined {
  const plain = byName.get(name);
  if (plain) return plain;
  if (resolved.has(name)) return resolved.get(name);
  const m = sized.exec(name);
  const base = m ? byName.get(m[1]!) : undefined;
  const use = base?.form.sizeInName ? { ...base, size: Number(m![2]) } : undefined;
  if (resolved.size < 10_000) resolved.set(name, use); // a name from a source: bounded, so no file grows it without end
  return use;
}

/** Every surface form, for suggestions, the README's layer table and the editor grammar. */
export function surfaceForms(): { op: OpName; form: SurfaceForm }[] {
  return [...byName.values()];
}

export type { OpDef, ParamSpec, InferError, OnnxLowering, OnnxAttrValue, OnnxBuilder, SurfaceForm, ArgDecl, CallContext } from './op.js';
export { isInferError } from './op.js';
