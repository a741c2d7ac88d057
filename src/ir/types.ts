/**
 * The graph IR: a network after elaboration. Nodes are in topological order, each with one output
 * value named after the node (its DSL path, `layer2.0.conv1`). Every value has a tensor type;
 * the batch dimension is the symbol `N`. Parameter tensors are named like PyTorch's `state_dict`
 * (`layer2.0.conv1.weight`). Graphs are treated as immutable: passes build new ones.
 */
import type { Span } from '../diagnostics/span.js';
import type { OpName } from './ops/index.js';

export type { OpName };

/** A dimension: a size, or a symbol (the batch size `N`). */
export type Dim = number | string;

export interface TensorType {
  readonly dtype: 'f32';
  readonly shape: readonly Dim[];
}

/** An attribute: a number, a flag, a string (a shortcut policy), or a list of integers (permute's dims). */
export type AttrValue = number | boolean | string | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface IrNode {
  /** Unique within the graph; also the name of the node's output value. */
  readonly name: string;
  readonly op: OpName;
  /** Names of input values (graph inputs or other nodes). */
  readonly inputs: readonly string[];
  readonly attrs: Attrs;
  /** Parameter tensors by role (`weight`, `bias`, `running_mean`, `running_var`): their names in `IrGraph.params`. */
  readonly params: Readonly<Record<string, string>>;
  /** Where the layer was written. */
  readonly span: Span;
  /** The call sites that expanded to this node, innermost first (empty at network level). */
  readonly expansion: readonly Span[];
  /** The pass that put this node in, for nodes not written by the user (`shortcut` for projections). */
  readonly insertedBy?: string;
}

/**
 * How seeded initialization fills a parameter tensor (weights/init.ts): torchvision's schemes for
 * conv, batch norm and linear layers, `ones`/`zeros`, or a constant (`fill:1e-6`, ConvNeXt's layer scale).
 */
export type InitKind =
  | 'conv_weight'
  | 'conv_bias'
  | 'bn_weight'
  | 'bn_bias'
  | 'bn_mean'
  | 'bn_var'
  | 'fc_weight'
  | 'fc_bias'
  | 'ones'
  | 'zeros'
  | `fill:${number}`;

export interface ParamTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** True for what PyTorch's parameters() counts; false for buffers (batch-norm running statistics). */
  readonly trainable: boolean;
  /** How seeded initialization fills it. */
  readonly init: InitKind;
  /**
   * Values, once weights are attached (loaded, or made by `produce`); absent in a graph only being
   * checked. Read a tensor's values with `tensorValues` (ir/tensor-values.ts), which knows both forms.
   */
  readonly data?: Float32Array;
  /**
   * For a tensor without `data`: makes its values on demand (seeded initialization, a folded conv-bn
   * pair), so that a compile never holds every weight at once. It fills `out`, an array of the
   * shape's element count, and reads nothing else that changes: each call gives the same values.
   * Ignored when `data` is present.
   */
  readonly produce?: (out: Float32Array) => void;
}

export interface GraphInput {
  readonly name: string;
  readonly type: TensorType;
  readonly span: Span;
}

export interface GraphOutput {
  /** The output's name, as the user gave it (`logits`). */
  readonly name: string;
  /** The value it names. */
  readonly value: string;
  readonly span: Span;
}

export interface IrGraph {
  readonly name: string;
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly GraphOutput[];
  readonly nodes: readonly IrNode[];
  /** The type of every value: graph inputs and node outputs. */
  readonly types: ReadonlyMap<string, TensorType>;
  readonly params: ReadonlyMap<string, ParamTensor>;
  /** The blocks and labelled sequences that node names are grouped under (`layer1` -> `sequence`, `layer1.0` -> `basic`), for summaries. */
  readonly modules?: ReadonlyMap<string, string>;
}

export function tensorType(shape: readonly Dim[]): TensorType {
  return { dtype: 'f32', shape };
}

export function formatType(t: TensorType): string {
  return `${t.dtype}[${t.shape.join(', ')}]`;
}

export function sameType(a: TensorType, b: TensorType): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}
