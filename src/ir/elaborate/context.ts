/**
 * State of one network's elaboration: the graph being built (nodes with inferred types and their
 * parameter tensors), naming scopes, and the call stack of expanded blocks.
 */
import type { Label } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import { limits } from '../../limits.js';
import { paramName } from '../node.js';
import { isInferError, opDef } from '../ops/index.js';
import { elements } from '../ops/op.js';
import { formatType, tensorType, type Attrs, type GraphInput, type IrNode, type OpName, type ParamTensor, type TensorType } from '../types.js';
import { fail } from './abort.js';
import type { ExpansionCache } from './block-cache.js';

/**
 * The tensor flowing through a sequence, and where it came from (for messages). After an error the
 * cursor is poisoned: what follows is still checked for its own mistakes (arguments, names), but
 * builds no nodes and reports nothing about shapes, which the first error made unknowable.
 */
export interface Cursor {
  value: string;
  type: TensorType;
  origin: Span;
  poisoned?: true;
}

export function poisoned(origin: Span): Cursor {
  return { value: '', type: tensorType([]), origin, poisoned: true };
}

/**
 * Names of the nodes in one scope. In a block (mode `counters`) unlabelled layers are numbered per
 * kind; in a labelled sequence (mode `sequential`, like torch.nn.Sequential) every item takes the
 * next index.
 */
export class NameScope {
  private readonly counters = new Map<string, number>();
  private index = 0;
  constructor(
    readonly prefix: string,
    readonly mode: 'counters' | 'sequential',
  ) {}

  qualify(local: string): string {
    return this.prefix ? `${this.prefix}.${local}` : local;
  }

  /** The next automatic local name for a layer of this kind. */
  nextLocal(kind: string, alwaysNumbered: boolean): string {
    if (this.mode === 'sequential') return String(this.index++);
    const k = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, k);
    return alwaysNumbered || k > 1 ? `${kind}${k}` : kind;
  }

  /** The next automatic full name for a layer of this kind. */
  next(kind: string, alwaysNumbered: boolean): string {
    return this.qualify(this.nextLocal(kind, alwaysNumbered));
  }

  child(local: string, mode: 'counters' | 'sequential'): NameScope {
    return new NameScope(this.qualify(local), mode);
  }
}

const noLabels = (): Label[] => [];

export class GraphBuilder {
  readonly nodes: IrNode[] = [];
  readonly types = new Map<string, TensorType>();
  readonly params = new Map<string, ParamTensor>();
  readonly inputs: GraphInput[] = [];
  /** Name prefix -> what it groups (a block's name, or `sequence`). */
  readonly modules = new Map<string, string>();
  /** Call sites of the blocks being expanded, innermost last. */
  readonly callStack: { span: Span; name: string }[] = [];
  paramCount = 0;
  /** Recorded block expansions, for calls that repeat one (block-cache.ts); undefined when reuse is off. */
  readonly expansions: ExpansionCache | undefined;
  /** Block calls that copied an earlier expansion. */
  reused = 0;
  /** Diagnostics reported while elaborating (a repeated one counts again): a block expansion that reported any is not reused. */
  reports = 0;
  /** The deepest the call stack has been since `deepest` was last reset (for reused expansions, block-cache.ts). */
  deepest = 0;
  /**
   * While a block expansion is being recorded (`recording` > 0): every name claimed (with the span
   * kept for it) and every module named, in order, for block-cache.ts to replay.
   */
  recording = 0;
  readonly claimLog: [string, Span][] = [];
  readonly moduleLog: [string, string][] = [];

  constructor(reuseExpansions = true) {
    this.expansions = reuseExpansions ? new Map() : undefined;
  }

  private expansionCache: { depth: number; top: Span | undefined; spans: readonly Span[] } = { depth: 0, top: undefined, spans: [] };

  /** The call sites of the current position, innermost first; one shared array per block expansion. */
  expansion(): readonly Span[] {
    const top = this.callStack[this.callStack.length - 1]?.span;
    const c = this.expansionCache;
    if (c.depth !== this.callStack.length || c.top !== top)
      this.expansionCache = { depth: this.callStack.length, top, spans: this.callStack.map((e) => e.span).reverse() };
    return this.expansionCache.spans;
  }

  /** Labels pointing at the call sites that expanded the current position. */
  expansionLabels(): Label[] {
    const seen = new Set<string>();
    const out: Label[] = [];
    for (const c of [...this.callStack].reverse()) {
      const key = `${c.span.file}:${c.span.start}:${c.span.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ span: c.span, message: `in this use of ${c.name}` });
      if (out.length === 4) break;
    }
    return out;
  }

  addInput(name: string, type: TensorType, span: Span): Cursor {
    this.claim(name, span, undefined);
    this.checkSize(name, type, span);
    this.inputs.push({ name, type, span });
    this.types.set(name, type);
    return { value: name, type, origin: span };
  }

  /** Where each value's name was given (a label, or the layer), for the duplicate-name message. */
  private readonly namedAt = new Map<string, Span>();

  /** Whether a name is taken (by a value or a label). */
  isClaimed(name: string): boolean {
    return this.namedAt.has(name);
  }

  /** Takes a name, as `claim` would have at `at` (a replayed expansion's names, checked free beforehand). */
  setClaim(name: string, at: Span): void {
    this.namedAt.set(name, at);
    if (this.recording > 0) this.claimLog.push([name, at]);
  }

  /** Records what a name prefix groups (a block's name, or `sequence`). */
  setModule(prefix: string, what: string): void {
    this.modules.set(prefix, what);
    if (this.recording > 0) this.moduleLog.push([prefix, what]);
  }

  /**
   * A labelled item's full name (`layer1`, `features.3`), claimed at its label so that a label used
   * twice is reported at both labels rather than at a layer inside the second item.
   */
  claimLabel(name: string, labelSpan: Span): void {
    this.claim(name, labelSpan, labelSpan);
  }

  /** A name is free until a value or a label has it (a labelled layer's node takes its own label's claim). */
  private claim(name: string, span: Span, labelSpan: Span | undefined): void {
    const prev = this.namedAt.get(name);
    if (prev === undefined || (labelSpan !== undefined && prev === labelSpan)) {
      this.setClaim(name, labelSpan ?? span);
      return;
    }
    fail('E0111', `the name ${name} is given to two layers`, labelSpan ?? span, {
      labels: [{ span: prev, message: 'first given here' }, ...this.expansionLabels()],
      help: 'give one of them a different label',
    });
  }

  private checkSize(name: string, t: TensorType, span: Span): void {
    if (elements(t) > limits.maxTensorElements)
      fail('E0404', `${name} would have ${formatType(t)}, more than ${limits.maxTensorElements} elements per sample`, span, {
        labels: this.expansionLabels(),
      });
  }

  /**
   * Adds a node: infers its type by the op's definition and registers its parameter tensors. With a
   * poisoned input it adds nothing and passes the poison on. `labelSpan` is where the node's name
   * was given, when a label gave it.
   */
  add(op: OpName, name: string, inputs: Cursor[], attrs: Attrs, span: Span, labels: () => Label[] = noLabels, labelSpan?: Span): Cursor {
    const bad = inputs.find((c) => c.poisoned);
    if (bad) return bad;
    const def = opDef(op);
    const inTypes = inputs.map((c) => c.type);
    const t = def.infer(attrs, inTypes);
    if (isInferError(t))
      fail(t.code, t.message, span, {
        labels: [...labels(), ...this.expansionLabels()],
        notes: inputs.length === 1 ? [`the input is ${formatType(inputs[0]!.type)}`] : [],
        ...(t.help ? { help: t.help } : {}),
      });
    if (this.nodes.length >= limits.maxNodes) fail('E0405', `the network has more than ${limits.maxNodes} layers`, span);
    this.claim(name, span, labelSpan);
    this.checkSize(name, t, span);
    const params: Record<string, string> = {};
    for (const p of def.params(attrs, inTypes)) {
      const pname = paramName(name, p.role);
      const count = p.shape.reduce((a, b) => a * b, 1);
      this.paramCount += count;
      if (this.paramCount > limits.maxParams)
        fail('E0406', `the network has more than ${limits.maxParams} parameters`, span, { labels: this.expansionLabels() });
      const tensor: ParamTensor = { name: pname, shape: p.shape, trainable: p.trainable, init: p.init };
      this.params.set(pname, tensor);
      params[p.role] = pname;
    }
    this.nodes.push({ name, op, inputs: inputs.map((c) => c.value), attrs, params, span, expansion: this.expansion() });
    this.types.set(name, t);
    return { value: name, type: t, origin: span };
  }
}
