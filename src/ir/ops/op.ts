/**
 * What an op definition is. Each op is defined once, in its own file, and that file is the only
 * place that says anything about it: its surface syntax (the names a spec calls it by, short forms
 * such as `conv3`, arguments with defaults and validation), its type and shape rule, its parameter
 * tensors, its MAC count, whether it is the identity at inference, its ONNX lowering, and its
 * PyTorch form (what `--emit pytorch` writes for it). Elaboration binds arguments generically
 * from the declaration; the verifier, statistics, passes, lowering, the PyTorch emitter,
 * suggestions, the README's layer table and the editor grammar all read it.
 */
import type { Code } from '../../diagnostics/codes.js';
import type { Attrs, AttrValue, InitKind, TensorType } from '../types.js';

export interface ParamSpec {
  /** `weight`, `bias`, `running_mean`...; '' names the tensor after the node itself (ConvNeXt's `layer_scale`). */
  role: string;
  shape: number[];
  /** What PyTorch's parameters() counts; false for buffers (batch-norm running statistics). */
  trainable: boolean;
  init: InitKind;
}

/** A shape error found by inference; elaboration turns it into a diagnostic at the layer. */
export interface InferError {
  code: Code;
  message: string;
  help?: string;
}

// ---- surface syntax -------------------------------------------------------------------------

/** What a call site knows beyond its arguments, for defaults such as a conv's `out`. */
export interface CallContext {
  /** The `out` parameter of the enclosing block, when it is an integer. */
  readonly blockOut?: number;
  /** Channels of the incoming tensor, when known. */
  readonly inChannels?: number;
}

export type ArgKind = 'int' | 'real' | 'bool' | 'policy' | 'ints';

/** The arguments bound so far (in declaration order), for defaults and checks that depend on others. */
export type BoundArgs = ReadonlyMap<string, AttrValue>;

export interface ArgDecl {
  readonly name: string;
  readonly kind: ArgKind;
  /** One phrase for the README table and editor hovers. */
  readonly doc: string;
  /** May be given without a name, in declaration order; with `variadic` it takes every remaining one. */
  readonly positional?: boolean;
  readonly variadic?: boolean;
  /** A constant, or a rule over earlier arguments and the call; absent (or a rule giving undefined) means required. */
  readonly default?: AttrValue | ((args: BoundArgs, ctx: CallContext) => AttrValue | undefined);
  /** How a computed default reads in the docs (`dilation * (k - 1) / 2`). */
  readonly defaultDoc?: string;
  /** 'positive' (at least 1), 'nonNegative' (at least 0), or a function giving a complaint ("must be below 1"). */
  readonly check?: 'positive' | 'nonNegative' | ((v: AttrValue, args: BoundArgs) => string | undefined);
  /** The diagnostic when a required argument is missing (default: E0106 "X needs a value for Y"). */
  readonly missing?: { readonly code: Code; readonly message: string; readonly help: (written: string) => string };
}

/** One way to write the op in a spec: `conv(...)`, `convK(...)`, `dwconv3(...)`. */
export interface SurfaceForm {
  readonly name: string;
  readonly doc: string;
  readonly args: readonly ArgDecl[];
  /** `convK`, `maxpoolK`: this name followed by a size sets that argument (`conv3` is k = 3). */
  readonly sizeInName?: string;
  /** The IR attributes from the bound arguments, when they are not simply those (dwconv's groups); may refuse. */
  readonly attrs?: (args: BoundArgs, ctx: CallContext) => Attrs | InferError;
}

// ---- ONNX lowering --------------------------------------------------------------------------

export type OnnxAttrValue = { int: number } | { ints: number[] } | { float: number };

/** What a lowering emits through: ONNX value names of the node's inputs and tensors, new nodes and constants. */
export interface OnnxBuilder {
  /** The ONNX value of data input i. */
  input(i: number): string;
  /** The initializer of a parameter tensor, by role. */
  param(role: string): string;
  /** A constant initializer named `<node>.<suffix>`. */
  constant(suffix: string, dataType: 'int64' | 'float32', dims: number[], values: number[]): string;
  /** An intermediate node named `<node>.<suffix>`; returns its output value. */
  node(suffix: string, opType: string, inputs: string[], attrs?: Record<string, OnnxAttrValue>): string;
  /** The node whose output is the op's output (named like the IR node). */
  output(opType: string, inputs: string[], attrs?: Record<string, OnnxAttrValue>): void;
  readonly opset: number;
}

export interface OnnxLowering {
  /** Every ONNX op type `lower` may emit (checked against the executor's kernels by a test). */
  readonly ops: readonly string[];
  lower(b: OnnxBuilder, attrs: Attrs, inputs: readonly TensorType[]): void;
}

// ---- PyTorch emission ----------------------------------------------------------------------

/**
 * Where a value of the emitted PyTorch code comes from: an IR attribute (`attr`), a dimension of
 * the input (`dim`: 1 is the channels, -1 the last), or a constant (`value`). The emitter
 * (src/pytorch) writes each as a literal, or as an expression of the block's parameters that it
 * has checked against every use of the block.
 */
export type PyTorchValue =
  | {
      readonly attr: string;
      /**
       * The attribute's default as a Python expression (`dilation * (k - 1) // 2`) of the other
       * attributes, the call's arguments, `in` (the input's channels) and `block_out` (the `out`
       * of the block around it); by surface form where forms differ (`{ dwconv: 'in' }`).
       */
      readonly derived?: string | Readonly<Record<string, string>>;
      /** The Python values of the attribute's values, where they differ (stochastic depth's batch flag is its mode). */
      readonly map?: readonly (readonly [AttrValue, string])[];
    }
  | { readonly dim: number }
  | { readonly value: AttrValue };

/** One argument of a PyTorch constructor call. */
export interface PyTorchArg {
  /** The keyword; absent for a positional argument. */
  readonly name?: string;
  readonly from: PyTorchValue;
  /** The Python type the value must have: `int` unless said (a float is written `1.0`). */
  readonly type?: 'int' | 'float' | 'bool' | 'str' | 'ints';
  /** PyTorch's default: a keyword argument with this value is left out (`sameAs`: the same code as the argument from that attribute). */
  readonly default?: AttrValue | { readonly sameAs: string };
}

/**
 * What a layer is in the emitted PyTorch module: a submodule built in `__init__` (a class of
 * torch.nn, or a helper class the op defines, `helpers`), an operator of `forward` (`x + y`,
 * `x * y`), or a parameter of the module around it (ConvNeXt's layer scale, `x * self.layer_scale`).
 * The class and the argument list may depend on the layer's structure (the input's rank), never on
 * values that differ from one use of a block to the next; the emitter checks that.
 */
export type PyTorchForm =
  | { readonly kind: 'module'; readonly cls: string; readonly args: readonly PyTorchArg[] }
  | { readonly kind: 'operator'; readonly op: '+' | '*' }
  | { readonly kind: 'parameter'; readonly shape: readonly PyTorchValue[]; readonly fill: PyTorchArg };

export interface PyTorchEmission {
  form(attrs: Attrs, inputs: readonly TensorType[]): PyTorchForm;
  /** Python source of the helper classes and functions the form uses, by name, written once per file. */
  readonly helpers?: Readonly<Record<string, string>>;
}

// ---- the definition ---------------------------------------------------------------------------

export interface OpDef {
  readonly name: string;
  /** Number of tensor inputs. */
  readonly arity: number;
  /** IR attribute names with their defaults, in the order the IR printer writes them. */
  readonly attrs: Attrs;
  /** How a spec writes it; absent for ops only passes put in (add, shortcut, pad_channels). */
  readonly syntax?: readonly SurfaceForm[];
  /** Unlabelled layers are named per block: `numbered` ops as `conv1, conv2`, others `relu, relu2`. */
  readonly naming?: 'numbered';
  /** The identity at inference (dropout): clean-up removes it, lowering aliases it away. */
  readonly inferenceIdentity?: boolean;
  infer(attrs: Attrs, inputs: readonly TensorType[]): TensorType | InferError;
  /** Parameter tensors, in ONNX input order. */
  params(attrs: Attrs, inputs: readonly TensorType[]): ParamSpec[];
  /** Multiply-accumulates at batch 1 (conv and fc only count, as torchvision's tables do); absent means none. */
  macs?(attrs: Attrs, inputs: readonly TensorType[], output: TensorType): number;
  /** Absent only for ops that never reach lowering (an inference identity, an unresolved shortcut). */
  readonly onnx?: OnnxLowering;
  /** The op in the emitted PyTorch module (`resdsl compile --emit pytorch`). */
  readonly pytorch: PyTorchEmission;
}

// ---- helpers for definitions ----------------------------------------------------------------------

export const noParams = (): ParamSpec[] => [];

export function isInferError(x: unknown): x is InferError {
  return typeof x === 'object' && x !== null && (x as InferError).code !== undefined && (x as InferError).message !== undefined;
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

export function ints(attrs: Attrs, key: string): readonly number[] {
  const v = attrs[key];
  if (!Array.isArray(v)) throw new Error(`internal: attribute ${key} is not a list of integers`);
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

export function lastDim(t: TensorType): number {
  const c = t.shape[t.shape.length - 1];
  if (typeof c !== 'number') throw new Error('internal: symbolic last dimension');
  return c;
}
