/**
 * The shape of an op definition. Each op is defined once, in its own file: attributes with
 * defaults, shape inference, parameter tensors, MAC count and ONNX mapping. Elaboration, the
 * verifier, statistics and ONNX lowering all read these definitions.
 */
import type { Code } from '../../diagnostics/codes.js';
import type { Attrs, AttrValue, InitKind, OpName, TensorType } from '../types.js';

export interface ParamSpec {
  role: string;
  shape: number[];
  trainable: boolean;
  init: InitKind;
  fan?: { in: number; out: number };
}

/** A shape error found by inference; elaboration turns it into a diagnostic at the layer. */
export interface InferError {
  code: Code;
  message: string;
  help?: string;
}

export type OnnxAttrValue = { int: number } | { ints: number[] } | { float: number };

/** How a node becomes one ONNX node: its inputs are the data inputs, then the parameters in `params` order, then `constInputs`. */
export interface OnnxLowering {
  opType: string;
  attrs: Record<string, OnnxAttrValue>;
  /** int64 constants passed as extra inputs (Pad's `pads`), named `<node>.<suffix>`. */
  constInputs?: { suffix: string; values: number[] }[];
}

export interface OpDef {
  readonly name: OpName;
  /** Number of tensor inputs. */
  readonly arity: number;
  /** Attribute names with their defaults, in the order the IR printer writes them. */
  readonly attrs: Readonly<Record<string, AttrValue>>;
  infer(attrs: Attrs, inputs: readonly TensorType[]): TensorType | InferError;
  /** Parameter tensors, in ONNX input order. */
  params(attrs: Attrs, inputs: readonly TensorType[]): ParamSpec[];
  /** Multiply-accumulates at batch 1 (conv and fc only count, as torchvision's tables do). */
  macs(attrs: Attrs, inputs: readonly TensorType[], output: TensorType): number;
  /** The ONNX node, or null for an op that is the identity at inference (the lowering aliases its output). */
  lower(attrs: Attrs, inputs: readonly TensorType[], opset: number): OnnxLowering | null;
}

/** The MAC count of every op that does no multiply-accumulates (shared, so callers can skip it). */
export const zeroMacs = (): number => 0;

export function isInferError(x: TensorType | InferError): x is InferError {
  return (x as InferError).code !== undefined;
}

export function num(attrs: Attrs, key: string): number {
  const v = attrs[key];
  if (typeof v !== 'number') throw new Error(`internal: attribute ${key} is not a number`);
  return v;
}

export function bool(attrs: Attrs, key: string): boolean {
  const v = attrs[key];
  if (typeof v !== 'boolean') throw new Error(`internal: attribute ${key} is not a boolean`);
  return v;
}

/** Product of the concrete dimensions (the batch symbol counts as 1). */
export function elements(t: TensorType): number {
  let n = 1;
  for (const d of t.shape) if (typeof d === 'number') n *= d;
  return n;
}

export function rankError(op: string, want: number, t: TensorType): InferError {
  return {
    code: 'E0205',
    message: `${op} needs a rank-${want} input, found rank ${t.shape.length}`,
    ...(want === 2 && t.shape.length === 4 ? { help: 'insert `gap; flatten` (or `flatten`) before it' } : {}),
  };
}

export function channels(t: TensorType): number {
  const c = t.shape[1];
  if (typeof c !== 'number') throw new Error('internal: symbolic channel dimension');
  return c;
}
