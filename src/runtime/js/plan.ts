/**
 * prepare(): checks a model before anything runs (every operator supported, every attribute
 * value understood, float32 inputs), folds constants, fuses Conv chains, prepares each node's
 * kernel, and numbers the runtime values ("slots") with the step after which each is released.
 */
import type { OnnxModel, OnnxNode, OnnxTensor } from '../../onnx/model.js';
import { fail, ok, type Result } from '../../onnx/read.js';
import { Arena, maxBytes } from './arena.js';
import { Attrs, nodeLabel } from './attrs.js';
import { fuse, type PlanNode } from './fuse.js';
import { GemmEngine, type EngineOptions } from './gemm/engine.js';
import type { ConvFusion, PrepareContext, Step } from './kernel.js';
import { kernels } from './kernels/index.js';
import { isSupportedOp } from './ops.js';
import type { Tensor } from './tensor.js';
import { wasmSimdAvailable } from './wasm/kernel.js';

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
  readonly constants: readonly { slot: number; tensor: Tensor }[];
  readonly steps: readonly PlanStep[];
  readonly slotCount: number;
  readonly arena: Arena;
  readonly gemm: GemmEngine;
  readonly options: EngineOptions;
}

export interface PrepareOptions {
  threads?: 1 | 2;
  /** GEMM kernel: WebAssembly SIMD (default when available) or plain JS; env RESDSL_KERNEL too. */
  kernel?: 'js' | 'wasm';
}

function resolveOptions(o: PrepareOptions): EngineOptions {
  const env = process.env['RESDSL_KERNEL'];
  const wanted = o.kernel ?? (env === 'js' || env === 'wasm' ? env : 'wasm');
  return { threads: o.threads ?? 1, kernel: wanted === 'wasm' && wasmSimdAvailable() ? 'wasm' : 'js' };
}

function checkModel(model: OnnxModel): Result<void> {
  for (const [i, n] of model.nodes.entries()) {
    if ((n.domain !== '' && n.domain !== 'ai.onnx') || !isSupportedOp(n.opType)) {
      const op = n.domain !== '' && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
      return fail('E0802', `${nodeLabel(n, i)}: operator ${op} is not supported by the JS executor`);
    }
  }
  for (const [what, list] of [['input', model.inputs], ['output', model.outputs]] as const) {
    for (const v of list) {
      if (v.elemType !== 'float32') return fail('E0803', `graph ${what} '${v.name}' has element type ${v.elemType}; the JS executor runs float32 only`);
    }
  }
  return ok(undefined);
}

class Builder {
  readonly slots = new Map<string, number>();
  readonly constantSlots: { slot: number; tensor: Tensor }[] = [];
  readonly steps: PlanStep[] = [];
  count = 0;

  constructor(
    readonly constants: Map<string, OnnxTensor>,
    readonly arena: Arena,
    readonly opset: number,
  ) {}

  context(node: OnnxNode, index: number, fusion?: ConvFusion): PrepareContext {
    const label = nodeLabel(node, index);
    const ctx: PrepareContext = {
      node, label, attrs: new Attrs(node, label), opset: this.opset, arena: this.arena,
      constant: (i) => this.constants.get(node.inputs[i] ?? ''),
    };
    if (fusion) ctx.fusion = fusion;
    return ctx;
  }

  newSlot(name: string, label: string): Result<number> {
    if (this.slots.has(name) || this.constants.has(name)) return fail('E0801', `${label} writes value '${name}', which is already defined`);
    const s = this.count++;
    this.slots.set(name, s);
    return ok(s);
  }

  /** Slot of a value read at run time: computed, a graph input, or a float constant. */
  readSlot(name: string, label: string): Result<number> {
    const s = this.slots.get(name);
    if (s !== undefined) return ok(s);
    const c = this.constants.get(name);
    if (c === undefined) return fail('E0801', `${label} reads value '${name}', which nothing before it defines`);
    if (c.dataType !== 'float32') return fail('E0803', `${label}: the int64 value '${name}' cannot be used as a runtime input`);
    const slot = this.count++;
    this.slots.set(name, slot);
    this.constantSlots.push({ slot, tensor: { dims: c.dims, data: c.data as Float32Array } });
    return ok(slot);
  }

  add(p: PlanNode): Result<void> {
    const ctx = this.context(p.node, p.index, p.fusion);
    const prepared = kernels[p.node.opType as keyof typeof kernels](ctx);
    if (!prepared.ok) return prepared;
    if (prepared.value.kind === 'folded') {
      prepared.value.outputs.forEach((t, i) => this.constants.set(p.node.outputs[i]!, t));
      return ok(undefined);
    }
    const { step } = prepared.value;
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
  const constants = new Map(model.initializers.map((t) => [t.name, t]));
  const weightBytes = model.initializers.reduce((s, t) => s + t.data.byteLength, 0);
  // Packed weights take about as much as the initializers; leave room for activations.
  if (weightBytes > maxBytes - (256 << 20)) {
    return fail('E0406', `the model's ${(weightBytes / 2 ** 30).toFixed(1)} GiB of weights do not fit the executor's ${maxBytes / 2 ** 30} GiB of memory`);
  }
  const arena = new Arena(weightBytes + (16 << 20));
  const b = new Builder(constants, arena, model.opsetVersion);
  const graphInputs: Plan['inputs'][number][] = [];
  for (const v of model.inputs) {
    const s = b.newSlot(v.name, `graph input '${v.name}'`);
    if (!s.ok) return s;
    graphInputs.push({ name: v.name, shape: v.shape, slot: s.value });
  }
  // Constants first, so that fusion sees their values.
  for (const [i, n] of model.nodes.entries()) {
    if (n.opType !== 'Constant') continue;
    const r = b.add({ node: n, index: i });
    if (!r.ok) return r;
  }
  for (const p of fuse(model, constants, (i) => b.context(model.nodes[i]!, i))) {
    if (p.node.opType === 'Constant') continue;
    const r = b.add(p);
    if (!r.ok) return r;
  }
  const outputs: Plan['outputs'][number][] = [];
  for (const v of model.outputs) {
    const s = b.readSlot(v.name, `graph output '${v.name}'`);
    if (!s.ok) return s;
    outputs.push({ name: v.name, slot: s.value });
  }
  planReleases(b.steps, new Set([...outputs.map((o) => o.slot), ...b.constantSlots.map((c) => c.slot)]));
  const engineOptions = resolveOptions(options);
  return ok({
    inputs: graphInputs, outputs, constants: b.constantSlots, steps: b.steps, slotCount: b.count,
    arena, gemm: new GemmEngine(arena, engineOptions), options: engineOptions,
  });
}
