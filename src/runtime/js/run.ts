/**
 * run(): executes a prepared plan. Inputs are checked against the model's declared shapes and
 * copied into the arena; live values are counted per buffer (views such as Reshape share one), and
 * a buffer goes back to the arena's pool once no live value uses it, so peak memory is the weights
 * plus the activations alive at one time. Outputs are copied out and the arena is left empty.
 * Inputs and outputs are Maps keyed by the model's value names (which come from a file).
 */
import type { Arena } from './arena.js';
import type { Engine } from './engine/engine.js';
import type { Env } from './kernel.js';
import type { VectorOps } from './engine/vector-ops.js';
import type { Plan, PlanStep } from './plan.js';
import { isFloat, numel, RunError, shapeText, type Tensor, type Value } from './tensor.js';

function checkInputs(plan: Plan, inputs: ReadonlyMap<string, Tensor>): void {
  const bound = new Map<string, number>();
  for (const { name, shape } of plan.inputs) {
    const t = inputs.get(name);
    if (t === undefined) throw new RunError('E0704', `input '${name}' is missing`);
    if (!(t.data instanceof Float32Array)) throw new RunError('E0704', `input '${name}' is not float32 data`);
    if (!t.dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new RunError('E0704', `input '${name}' has invalid shape ${shapeText(t.dims)}`);
    if (t.data.length !== numel(t.dims)) {
      throw new RunError('E0704', `input '${name}' has ${t.data.length} values for shape ${shapeText(t.dims)}`);
    }
    const fits = shape.length === 0 || (shape.length === t.dims.length && shape.every((d, i) => {
      const got = t.dims[i]!;
      if (typeof d === 'number') return d === got;
      if (d === '?' || d === '') return true;
      const prev = bound.get(d);
      bound.set(d, got);
      return prev === undefined || prev === got;
    }));
    if (!fits) throw new RunError('E0704', `input '${name}' has shape ${shapeText(t.dims)}, the model expects ${shapeText(shape)}`);
  }
  const known = new Set(plan.inputs.map((i) => i.name));
  for (const name of inputs.keys()) {
    if (!known.has(name)) throw new RunError('E0704', `the model has no input '${name}'`);
  }
}

/** The state of one run: values by slot, and how many live values use each arena buffer. */
class Execution implements Env {
  readonly values: (Value | undefined)[];
  readonly arena: Arena;
  readonly engine: Engine;
  readonly vector: VectorOps;
  private readonly refs = new Map<Float32Array, number>();
  /** Buffers of the current step's inputs that nothing uses after it. */
  private reusable = new Set<Float32Array>();

  constructor(plan: Plan) {
    this.values = new Array<Value | undefined>(plan.slotCount);
    this.arena = plan.arena;
    this.engine = plan.engine;
    this.vector = plan.engine.vector;
  }

  set(slot: number, t: Value): void {
    this.values[slot] = t;
    if (isFloat(t) && this.arena.offsetOf(t.data) !== undefined) this.refs.set(t.data, (this.refs.get(t.data) ?? 0) + 1);
  }

  private drop(slot: number): void {
    const t = this.values[slot];
    this.values[slot] = undefined;
    if (t === undefined || !isFloat(t)) return;
    const n = this.refs.get(t.data);
    if (n === undefined) return;
    if (n > 1) this.refs.set(t.data, n - 1);
    else {
      this.refs.delete(t.data);
      this.arena.release(t.data);
    }
  }

  output(dims: number[], ...reuse: (Tensor | undefined)[]): Tensor {
    const size = numel(dims);
    for (const r of reuse) {
      if (r && r.data.length === size && this.reusable.delete(r.data)) return { dims, data: r.data };
    }
    return { dims, data: this.arena.alloc(size) };
  }

  scratch(size: number): Float32Array {
    return this.arena.alloc(size);
  }

  free(a: Float32Array): void {
    this.arena.release(a);
  }

  step(s: PlanStep): void {
    const dying = new Map<Float32Array, number>();
    for (const slot of s.release) {
      const t = this.values[slot];
      if (t && isFloat(t) && this.refs.has(t.data)) dying.set(t.data, (dying.get(t.data) ?? 0) + 1);
    }
    this.reusable = new Set([...dying].filter(([buf, n]) => this.refs.get(buf) === n).map(([buf]) => buf));
    const outs = s.step.run(s.inputs.map((slot) => (slot < 0 ? undefined : this.values[slot])), this);
    s.outputs.forEach((slot, i) => {
      const t = outs[i];
      if (slot >= 0 && t !== undefined) this.set(slot, t);
    });
    for (const slot of s.release) this.drop(slot);
  }

  /** Returns every buffer still held to the pool. */
  close(): void {
    for (const buf of this.refs.keys()) this.arena.release(buf);
    this.refs.clear();
  }
}

/** A copy of `t` outside the arena. */
function copyOut(t: Value): Value {
  return isFloat(t) ? { dims: [...t.dims], data: new Float32Array(t.data) } : { dims: [...t.dims], data: new BigInt64Array(t.data) };
}

export function run(plan: Plan, inputs: ReadonlyMap<string, Tensor>): Map<string, Value> {
  checkInputs(plan, inputs);
  const ex = new Execution(plan);
  try {
    for (const c of plan.constants) ex.values[c.slot] = c.tensor;
    for (const { name, slot } of plan.inputs) {
      const src = inputs.get(name)!;
      const data = plan.arena.alloc(src.data.length);
      data.set(src.data);
      ex.set(slot, { dims: [...src.dims], data });
    }
    for (const s of plan.steps) ex.step(s);
    const result = new Map<string, Value>();
    for (const { name, slot } of plan.outputs) result.set(name, copyOut(ex.values[slot]!));
    return result;
  } finally {
    ex.close();
  }
}
