/**
 * prepare(): checks a model before anything runs (every operator supported, every attribute
 * value understood, float32 inputs), fuses Conv chains, prepares each node's kernel, folds every
 * node whose inputs are all constant (by running its step once, here), and numbers the runtime
 * values ("slots") with the step after which each is released.
 */
import type { OnnxModel, OnnxNode, OnnxTensor } from '../../onnx/model.js';
import { fail, ok, type Result } from '../../onnx/read.js';
import { Arena, maxBytes } from './arena.js';
import { Attrs, nodeLabel } from './attrs.js';
import { fuse, type PlanNode } from './fuse.js';
import { channelsFirst, isWeightTranspose } from './rewrite/channels-last.js';
import { dropIdentities } from './rewrite/identities.js';
import { Names } from './rewrite/names.js';
import { Engine, type EngineOptions } from './engine/engine.js';
import type { ConvFusion, Env, PrepareContext, Step } from './kernel.js';
import { kernels } from './kernels/index.js';
import { isSupportedOp } from './ops.js';
import { isFloat, numel, RunError, type Value } from './tensor.js';
import { wasmFma, wasmSimdAvailable } from './wasm/kernel.js';
import type { ExecutorHost } from './host.js';

export interface PlanStep {
  label: string;
  step: Step;
  /** Slot of each input, -1 for an omitted or consumed one. */
  inputs: number[];
  /** Slot of each output, -1 for an omitted one. */
  outputs: number[];
  /** Slots read for the last time by this step. */
  release: number[];
}

export interface Plan {
  readonly inputs: readonly { name: string; shape: readonly (number | string)[]; slot: number }[];
  readonly outputs: readonly { name: string; slot: number }[];
  /** Constant values some step reads at run time. */
  readonly constants: readonly { slot: number; tensor: Value }[];
  readonly steps: readonly PlanStep[];
  readonly slotCount: number;
  readonly arena: Arena;
  readonly engine: Engine;
  readonly options: EngineOptions;
}

export interface PrepareOptions {
  threads?: 1 | 2;
  /** The kernels: WebAssembly SIMD (the default, when available) or plain JS. */
  kernel?: 'js' | 'wasm';
  /** false: the WebAssembly kernels do not use relaxed SIMD's multiply-add even where it exists. */
  fma?: boolean;
  /** The platform's services (host.ts): needed for two threads. */
  host?: ExecutorHost;
  /**
   * Take the model's weights: its initializers array is emptied, and each weight is dropped once
   * every node reading it is prepared, so that it can be freed while the next ones are packed
   * (lean.ts collects the garbage, `released` being told how many bytes were dropped). The model
   * cannot be prepared or written again.
   */
  takeWeights?: boolean;
  released?: (bytes: number) => void;
}

function resolveOptions(o: PrepareOptions): EngineOptions {
  const kernel = (o.kernel ?? 'wasm') === 'wasm' && wasmSimdAvailable() ? 'wasm' : 'js';
  const fma = kernel === 'wasm' && o.fma !== false && wasmFma(o.host);
  return { threads: o.threads ?? 1, kernel, fma, ...(o.host ? { host: o.host } : {}) };
}

function checkModel(model: OnnxModel): Result<void> {
  for (const [i, n] of model.nodes.entries()) {
    if ((n.domain !== '' && n.domain !== 'ai.onnx') || !isSupportedOp(n.opType)) {
      const op = n.domain !== '' && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
      return fail('E0802', `${nodeLabel(n, i)}: operator ${op} is not supported by the JS executor`);
    }
  }
  for (const v of model.inputs) {
    if (v.elemType !== 'float32') return fail('E0803', `graph input '${v.name}' has element type ${v.elemType}; the JS executor runs float32 only`);
  }
  for (const v of model.outputs) {
    if (v.elemType !== 'float32' && v.elemType !== 'int64') {
      return fail('E0803', `graph output '${v.name}' has element type ${v.elemType}; the JS executor computes float32 (and int64 shapes) only`);
    }
  }
  return ok(undefined);
}

class Builder {
  readonly slots = new Map<string, number>();
  readonly constantSlots: { slot: number; tensor: Value }[] = [];
  readonly steps: PlanStep[] = [];
  count = 0;

  constructor(
    readonly constants: Map<string, OnnxTensor>,
    readonly arena: Arena,
    readonly engine: Engine,
    readonly opset: number,
  ) {}

  context(node: OnnxNode, index: number, fusion?: ConvFusion, flags: Pick<PlanNode, 'channelsFirst' | 'matmulWeights'> = {}): PrepareContext {
    const label = nodeLabel(node, index);
    const ctx: PrepareContext = {
      node, label, attrs: new Attrs(node, label), opset: this.opset, arena: this.arena,
      constant: (i) => this.constants.get(node.inputs[i] ?? ''),
    };
    if (fusion) ctx.fusion = fusion;
    if (flags.channelsFirst) ctx.channelsFirst = true;
    if (flags.matmulWeights) ctx.matmulWeights = flags.matmulWeights;
    return ctx;
  }

  newSlot(name: string, label: string): Result<number> {
    if (this.slots.has(name) || this.constants.has(name)) return fail('E0801', `${label} writes value '${name}', which is already defined`);
    const s = this.count++;
    this.slots.set(name, s);
    return ok(s);
  }

  /** Slot of a value read at run time: computed, a graph input, or a constant. */
  readSlot(name: string, label: string): Result<number> {
    const s = this.slots.get(name);
    if (s !== undefined) return ok(s);
    const c = this.constants.get(name);
    if (c === undefined) return fail('E0801', `${label} reads value '${name}', which nothing before it defines`);
    const slot = this.count++;
    this.slots.set(name, slot);
    // Float constants live in the arena like every float value, for the WebAssembly kernels.
    let value = valueOf(c);
    if (isFloat(value)) {
      const data = this.arena.alloc(value.data.length);
      data.set(value.data);
      value = { dims: value.dims, data };
    }
    this.constantSlots.push({ slot, tensor: value });
    return ok(slot);
  }

  /** Runs a step whose inputs are all constants now, and records its outputs as constants. */
  private fold(node: OnnxNode, step: Step, label: string): Result<void> {
    const inputs = node.inputs.map((name, i) => (name === '' || step.consumed?.includes(i) ? undefined : valueOf(this.constants.get(name)!)));
    const env = foldEnv(this.arena, this.engine);
    let outs: Value[];
    try {
      outs = step.run(inputs, env);
    } catch (e) {
      // A kernel's own message already names the node.
      if (e instanceof RunError) return fail(e.code, e.message.startsWith(label) ? e.message : `${label}: ${e.message}`);
      throw e;
    }
    for (const [i, name] of node.outputs.entries()) {
      const t = outs[i];
      if (name === '' || t === undefined) continue;
      if (this.slots.has(name) || this.constants.has(name)) return fail('E0801', `${label} writes value '${name}', which is already defined`);
      this.constants.set(name, tensorOf(name, t));
    }
    for (const t of outs) if (isFloat(t)) this.arena.release(t.data);
    return ok(undefined);
  }

  add(p: PlanNode): Result<void> {
    const ctx = this.context(p.node, p.index, p.fusion, p);
    const prepared = kernels[p.node.opType as keyof typeof kernels](ctx);
    if (!prepared.ok) return prepared;
    if (prepared.value.kind === 'folded') {
      prepared.value.outputs.forEach((t, i) => this.constants.set(p.node.outputs[i]!, t));
      return ok(undefined);
    }
    const { step } = prepared.value;
    if (p.node.inputs.some((n) => n !== '') && p.node.inputs.every((n) => n === '' || this.constants.has(n))) {
      return this.fold(p.node, step, ctx.label);
    }
    const inputs: number[] = [];
    for (const [i, name] of p.node.inputs.entries()) {
      if (name === '' || step.consumed?.includes(i)) {
        inputs.push(-1);
        continue;
      }
      const s = this.readSlot(name, ctx.label);
      if (!s.ok) return s;
      inputs.push(s.value);
    }
    const outputs: number[] = [];
    for (const name of p.node.outputs) {
      if (name === '') {
        outputs.push(-1);
        continue;
      }
      const s = this.newSlot(name, ctx.label);
      if (!s.ok) return s;
      outputs.push(s.value);
    }
    this.steps.push({ label: ctx.label, step, inputs, outputs, release: [] });
    return ok(undefined);
  }
}

function valueOf(c: OnnxTensor): Value {
  return c.dataType === 'float32' ? { dims: c.dims, data: c.data as Float32Array } : { dims: c.dims, data: c.data as BigInt64Array };
}

/** A constant holding a copy of `t` (which may live in the arena). */
function tensorOf(name: string, t: Value): OnnxTensor {
  return isFloat(t)
    ? { name, dims: [...t.dims], dataType: 'float32', data: new Float32Array(t.data) }
    : { name, dims: [...t.dims], dataType: 'int64', data: new BigInt64Array(t.data) };
}

/** What a step folded at prepare time runs with: arena memory, no buffer reuse. */
function foldEnv(arena: Arena, engine: Engine): Env {
  return {
    arena, engine, vector: engine.vector,
    output: (dims) => ({ dims, data: arena.alloc(numel(dims)) }),
    scratch: (size) => arena.alloc(size),
    free: (a) => arena.release(a),
  };
}

/** Fills each step's release list: a slot goes after its last reader (or its writer, if unread). */
function planReleases(steps: PlanStep[], keep: Set<number>): void {
  const last = new Map<number, number>();
  steps.forEach((s, i) => {
    for (const o of s.outputs) if (o >= 0) last.set(o, i);
    for (const v of s.inputs) if (v >= 0) last.set(v, i);
  });
  for (const [slot, i] of last) if (!keep.has(slot)) steps[i]!.release.push(slot);
}

export function prepare(model: OnnxModel, options: PrepareOptions = {}): Result<Plan> {
  const checked = checkModel(model);
  if (!checked.ok) return checked;
  const weightBytes = model.initializers.reduce((s, t) => s + t.data.byteLength, 0);
  // Packed weights take about as much as the initializers; leave room for activations.
  if (weightBytes > maxBytes - (256 << 20)) {
    return fail('E0406', `the model's ${(weightBytes / 2 ** 30).toFixed(1)} GiB of weights do not fit the executor's ${maxBytes / 2 ** 30} GiB of memory`);
  }
  const engineOptions = resolveOptions(options);
  const arena = new Arena(weightBytes + (16 << 20));
  const engine = new Engine(arena, engineOptions);
  const constants = new Map(model.initializers.map((t) => [t.name, t]));
  if (options.takeWeights) model.initializers.length = 0;
  const plan = build(model, constants, arena, engine, options.takeWeights ? options.released ?? (() => {}) : undefined);
  // Steps keep their PrepareContext, whose constant() reads this map: emptied, it no longer keeps
  // the model's weights (and the rewrites' copies of them) alive beside their packed copies.
  constants.clear();
  // A plan that failed stops its worker thread (without waiting: prepare is synchronous).
  if (!plan.ok) void engine.dispose();
  return plan;
}

/** Transpose nodes of a constant matrix whose only readers are MatMuls taking it as their weights. */
function matmulWeightTransposes(model: OnnxModel, constants: ReadonlyMap<string, OnnxTensor>): Set<OnnxNode> {
  const readers = new Map<string, OnnxNode[]>();
  for (const n of model.nodes) for (const v of new Set(n.inputs)) readers.set(v, [...(readers.get(v) ?? []), n]);
  const outputs = new Set(model.outputs.map((o) => o.name));
  return new Set(model.nodes.filter((n) => {
    const w = constants.get(n.inputs[0] ?? '');
    const out = n.outputs[0] ?? '';
    return isWeightTranspose(n) && n.inputs.length === 1 && w?.dims.length === 2 && !outputs.has(out)
      && (readers.get(out) ?? []).every((r) => r.opType === 'MatMul' && r.inputs[1] === out && r.inputs[0] !== out);
  }));
}

/** The number of nodes of `list` reading each value (graph outputs count as one more reader). */
function readerCounts(list: readonly PlanNode[], outputs: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of list) for (const v of new Set(p.node.inputs)) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const v of outputs) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Drops the constants that no node left reads, for lean memory (PrepareOptions.takeWeights). */
function dropRead(node: OnnxNode, left: Map<string, number>, constants: Map<string, OnnxTensor>, released: (bytes: number) => void): void {
  let bytes = 0;
  for (const v of new Set(node.inputs)) {
    const n = (left.get(v) ?? 0) - 1;
    left.set(v, n);
    const t = constants.get(v);
    if (n > 0 || t === undefined) continue;
    constants.delete(v);
    bytes += t.data.byteLength;
  }
  if (bytes > 0) released(bytes);
}

function build(model: OnnxModel, constants: Map<string, OnnxTensor>, arena: Arena, engine: Engine, released?: (bytes: number) => void): Result<Plan> {
  const b = new Builder(constants, arena, engine, model.opsetVersion);
  const graphInputs: Plan['inputs'][number][] = [];
  for (const v of model.inputs) {
    const s = b.newSlot(v.name, `graph input '${v.name}'`);
    if (!s.ok) return s;
    graphInputs.push({ name: v.name, shape: v.shape, slot: s.value });
  }
  // Constants and what is computed from constants only first, so that fusion sees their values;
  // but not MatMul weights written Transpose(W): the rewrite reads W itself (no transposed copy).
  const rest: { node: OnnxNode; index: number }[] = [];
  const weightTransposes = matmulWeightTransposes(model, constants);
  for (const [index, node] of model.nodes.entries()) {
    const constant = node.inputs.every((n) => n === '' || constants.has(n));
    if (!constant || weightTransposes.has(node)) {
      rest.push({ node, index });
      continue;
    }
    const r = b.add({ node, index });
    if (!r.ok) return r;
  }
  const outputNames = new Set(model.outputs.map((o) => o.name));
  const rewritten = channelsFirst(dropIdentities(rest, outputNames), constants, outputNames, new Names(model, constants.keys()));
  const list = fuse(model, rewritten, constants, (i) => b.context(model.nodes[i]!, i));
  const left = readerCounts(list, outputNames);
  for (const p of list) {
    const r = b.add(p);
    if (!r.ok) return r;
    if (released) dropRead(p.node, left, constants, released);
  }
  const outputs: Plan['outputs'][number][] = [];
  for (const v of model.outputs) {
    const s = b.readSlot(v.name, `graph output '${v.name}'`);
    if (!s.ok) return s;
    outputs.push({ name: v.name, slot: s.value });
  }
  planReleases(b.steps, new Set([...outputs.map((o) => o.slot), ...b.constantSlots.map((c) => c.slot)]));
  return ok({
    inputs: graphInputs, outputs, constants: b.constantSlots, steps: b.steps, slotCount: b.count,
    arena, engine, options: engine.options,
  });
}
