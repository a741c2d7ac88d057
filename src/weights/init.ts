/**
 * Deterministic, seeded initialization of parameter tensors, following torchvision's ResNet
 * (Kaiming normal, fan_out, for convolutions; batch norm at scale 1, shift 0) and PyTorch's
 * defaults for biases and fully connected layers. Each tensor draws from its own stream
 * (`tensorRng(seed, name)`), so its values depend only on the seed and its name.
 */
import type { InitKind } from '../ir/types.js';
import { checkSeed, Rng, tensorRng } from './rng.js';

export type { InitKind };


export interface InitOptions {
  /**
   * Shape of the weight that a bias belongs to: conv `[out, in/groups, kh, kw]` or fc `[out, in]`.
   * Required for 'conv_bias' and 'fc_bias', whose bound depends on the weight's fan-in.
   */
  weightShape?: readonly number[];
}

function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`invalid dimension ${d} in shape [${shape}]`);
    n *= d;
  }
  return n;
}

/** Product of the dimensions after the first two (the kernel's spatial size); 1 for an fc weight. */
function receptiveField(shape: readonly number[]): number {
  return elementCount(shape.slice(2));
}

/** PyTorch's fan-in of a weight `[out, in/groups, ...kernel]`: (in/groups) * kernel size. */
function fanIn(weightShape: readonly number[]): number {
  if (weightShape.length < 2) throw new RangeError(`weight shape [${weightShape}] has rank below 2`);
  return (weightShape[1] as number) * receptiveField(weightShape);
}

function requireWeightShape(kind: InitKind, opts: InitOptions): readonly number[] {
  if (opts.weightShape === undefined) throw new RangeError(`initializing a ${kind} needs the weight's shape`);
  return opts.weightShape;
}

/** Uniform in [-bound, bound) with bound = 1/sqrt(fan_in); zeros if the fan-in is 0. */
function fillFanInUniform(out: Float32Array, rng: () => Rng, fan: number): void {
  if (fan > 0) {
    const bound = 1 / Math.sqrt(fan);
    rng().fillUniform(out, -bound, bound);
  } else out.fill(0);
}

/**
 * A new tensor of `shape` initialized as `kind` prescribes:
 * - conv_weight `[out, in/groups, kh, kw]`: normal(0, sqrt(2 / (out * kh * kw))) (Kaiming, fan_out, relu gain);
 * - conv_bias `[out]`: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in/groups * kh * kw;
 * - fc_weight `[out, in]` and fc_bias `[out]`: uniform(-1/sqrt(in), 1/sqrt(in));
 * - bn_weight, bn_var and ones: ones; bn_bias, bn_mean and zeros: zeros; `fill:v`: v (these draw nothing from `rng`).
 */
export function initTensor(
  kind: InitKind,
  shape: readonly number[],
  rng: Rng,
  opts: InitOptions = {},
): Float32Array {
  const out = new Float32Array(elementCount(shape));
  initInto(kind, shape, out, () => rng, opts);
  return out;
}

/** Fills `out` (all of it, whatever it held) as initTensor would; the stream is made only for a kind that draws from it. */
function initInto(kind: InitKind, shape: readonly number[], out: Float32Array, rng: () => Rng, opts: InitOptions): void {
  if (out.length !== elementCount(shape)) throw new RangeError(`an array of ${out.length} values for shape [${shape}]`);
  switch (kind) {
    case 'conv_weight': {
      if (shape.length < 3) throw new RangeError(`conv weight shape [${shape}] has rank below 3`);
      const fanOut = (shape[0] as number) * receptiveField(shape);
      if (fanOut > 0) rng().fillNormal(out, 0, Math.sqrt(2 / fanOut));
      else out.fill(0);
      break;
    }
    case 'fc_weight':
      if (shape.length !== 2) throw new RangeError(`fc weight shape [${shape}] is not of rank 2`);
      fillFanInUniform(out, rng, fanIn(shape));
      break;
    case 'conv_bias':
    case 'fc_bias':
      fillFanInUniform(out, rng, fanIn(requireWeightShape(kind, opts)));
      break;
    case 'bn_weight':
    case 'bn_var':
    case 'ones':
      out.fill(1);
      break;
    case 'bn_bias':
    case 'bn_mean':
    case 'zeros':
      out.fill(0);
      break;
    default:
      out.fill(Number(kind.slice('fill:'.length)));
  }
}

/** `initTensor` with the tensor's own stream, derived from (seed, name). */
export function initNamedTensor(
  seed: number | bigint,
  name: string,
  kind: InitKind,
  shape: readonly number[],
  opts: InitOptions = {},
): Float32Array {
  const out = new Float32Array(elementCount(shape));
  initNamedInto(seed, name, kind, shape, out, opts);
  return out;
}

/**
 * Everything a seeded tensor's values depend on: plain data, so that another thread can make them
 * (node/weight-worker.ts) and give exactly the values this one would.
 */
export interface SeedJob {
  readonly seed: number;
  readonly name: string;
  readonly init: InitKind;
  readonly shape: readonly number[];
  /** As InitOptions.weightShape, for a bias. */
  readonly weightShape?: readonly number[];
}

/** Whether initializing a tensor of this kind draws random numbers (the others are constant fills, not worth moving anywhere). */
export function drawsRandom(kind: InitKind): boolean {
  return kind === 'conv_weight' || kind === 'fc_weight' || kind === 'conv_bias' || kind === 'fc_bias';
}

/** Fills `out` with the job's tensor: initNamedInto of its fields. */
export function fillSeeded(job: SeedJob, out: Float32Array): void {
  initNamedInto(job.seed, job.name, job.init, job.shape, out, job.weightShape ? { weightShape: job.weightShape } : {});
}

/** Fills `out` with the values initNamedTensor gives (the same, whatever `out` held before). */
export function initNamedInto(
  seed: number | bigint,
  name: string,
  kind: InitKind,
  shape: readonly number[],
  out: Float32Array,
  opts: InitOptions = {},
): void {
  checkSeed(seed);
  initInto(kind, shape, out, () => tensorRng(seed, name), opts);
}
