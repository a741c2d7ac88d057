/**
 * What a kernel is. At prepare time a kernel reads its node (attributes checked, constant inputs
 * available) and returns either a Step to run, or the values of its outputs when it can compute
 * them right away (a Constant, or an op whose inputs are all constant). At run time a Step gets
 * its runtime inputs as Tensors and allocates its outputs through the Env.
 */
import type { OnnxNode, OnnxTensor } from '../../onnx/model.js';
import type { Result } from '../../onnx/read.js';
import type { Arena } from './arena.js';
import type { Attrs } from './attrs.js';
import type { Engine } from './engine/engine.js';
import type { Activation } from './activation.js';
import type { Tensor, Value } from './tensor.js';
import type { VectorOps } from './engine/vector-ops.js';

/** What fusion (fuse.ts) folded into a Conv. */
export interface ConvFusion {
  /**
   * A following BatchNormalization (or product by a per-channel constant) as y = x * scale + shift
   * per output channel.
   */
  bn?: { scale: Float32Array; shift: Float32Array };
  /** Index of the extra input added to the result (an Add that followed). */
  residual?: number;
  /** The activation that followed (after the Add, if any). */
  act: Activation;
}

export interface PrepareContext {
  node: OnnxNode;
  /** `node 'name' (Op)`, for messages. */
  label: string;
  attrs: Attrs;
  /** Opset version of the ai.onnx domain. */
  opset: number;
  /** The value of input i when it is an initializer or computed at prepare time. */
  constant(i: number): OnnxTensor | undefined;
  arena: Arena;
  /** Set on Conv nodes that absorbed the nodes after them. */
  fusion?: ConvFusion;
  /**
   * Set on a node of a channels-last region that now runs in NCHW (rewrite/channels-last.ts): its
   * "last axis" is the channel axis.
   */
  channelsFirst?: boolean;
  /**
   * Set on a Conv made from a MatMul (rewrite/channels-last.ts), whose weights input is 2-d: W of
   * MatMul(x, W), [Cin, Cout], read transposed; or W of MatMul(x, Transpose(W)), [Cout, Cin].
   */
  matmulWeights?: 'transposed' | 'direct';
}

/** Services of the executor to a running step. */
export interface Env {
  arena: Arena;
  engine: Engine;
  /** The engine's elementwise and per-plane operations. */
  vector: VectorOps;
  /**
   * A tensor for an output of shape `dims`. It reuses the buffer of one of `reuse` (an input that is
   * read for the last time by this step and has that many elements) when possible; a kernel passes
   * only inputs it reads element i of before writing element i.
   */
  output(dims: number[], ...reuse: (Tensor | undefined)[]): Tensor;
  /** Temporary memory from the arena, returned with `free`. */
  scratch(size: number): Float32Array;
  free(a: Float32Array): void;
}

export interface Step {
  /**
   * Inputs the step does not read at run time: taken at prepare time (packed weights, shapes) or
   * ignored (Dropout's ratio); their slots are undefined at run time. Other inputs, constant or
   * not, are passed as values (float32 tensors, or int64 ones for shapes and indices).
   */
  consumed?: number[];
  run(inputs: (Value | undefined)[], env: Env): Value[];
}

export type Prepared = { kind: 'step'; step: Step } | { kind: 'folded'; outputs: OnnxTensor[] };

export type Kernel = (ctx: PrepareContext) => Result<Prepared>;

export function step(s: Step): Result<Prepared> {
  return { ok: true, value: { kind: 'step', step: s } };
}
