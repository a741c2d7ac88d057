/**
 * Reading a node's attributes for a kernel: each kernel lists the attributes it understands with
 * their ONNX types, and anything else (an unknown name, a wrong type, an attribute read.ts could not
 * represent) is an E0803 problem naming the node and the attribute. Values are checked by kernels.
 * Attribute names come from the file, so they are looked up in a Map of the node's own entries,
 * never on the plain attrs object (where `__proto__` or `constructor` would find Object's).
 */
import type { OnnxAttr, OnnxNode, OnnxTensor } from '../../onnx/model.js';
import { fail, type Result } from '../../onnx/read.js';

export type AttrType = OnnxAttr['type'];

/** `node 'conv1' (Conv)`, or `node #3 (Conv)` for an unnamed node. */
export function nodeLabel(node: OnnxNode, index: number): string {
  return node.name !== '' ? `node '${node.name}' (${node.opType})` : `node #${index} (${node.opType})`;
}

function showValue(a: OnnxAttr): string {
  switch (a.type) {
    case 'string': return `'${a.value}'`;
    case 'ints':
    case 'floats': return `[${a.value.join(', ')}]`;
    case 'tensor': return `a tensor of shape [${a.value.dims.join(', ')}]`;
    default: return String(a.value);
  }
}

/** Typed access to the attributes of one node, after `check` has accepted them. */
export class Attrs {
  private readonly map: ReadonlyMap<string, OnnxAttr>;

  constructor(
    readonly node: OnnxNode,
    readonly label: string,
  ) {
    this.map = new Map(Object.entries(node.attrs));
  }

  /** Names of the attributes present. */
  get names(): string[] {
    return [...this.map.keys()];
  }

  /** Rejects attributes not in `allowed`, attributes of the wrong type, and unread ones. */
  check(allowed: Record<string, AttrType>): Result<this> {
    for (const [name, kind] of Object.entries(this.node.unreadAttrs ?? {})) {
      return fail('E0803', `${this.label}: attribute ${name} of type ${kind} is not supported`);
    }
    // An object whose prototype was replaced holds an attribute named __proto__ that was assigned.
    const proto = Object.getPrototypeOf(this.node.attrs) as unknown;
    if (proto !== Object.prototype && proto !== null) return fail('E0803', `${this.label}: attribute __proto__ is not supported`);
    const wanted = new Map(Object.entries(allowed));
    for (const [name, a] of this.map) {
      const want = wanted.get(name);
      if (want === undefined) return fail('E0803', `${this.label}: attribute ${name} is not supported`);
      if (a.type !== want) {
        return fail('E0803', `${this.label}: attribute ${name} has type ${a.type}, expected ${want}`);
      }
    }
    return { ok: true, value: this };
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  int(name: string, def: number): number {
    const a = this.map.get(name);
    return a?.type === 'int' ? a.value : def;
  }

  ints(name: string, def: number[]): number[] {
    const a = this.map.get(name);
    return a?.type === 'ints' ? a.value : def;
  }

  float(name: string, def: number): number {
    const a = this.map.get(name);
    return a?.type === 'float' ? a.value : def;
  }

  floats(name: string, def: number[]): number[] {
    const a = this.map.get(name);
    return a?.type === 'floats' ? a.value : def;
  }

  string(name: string, def: string): string {
    const a = this.map.get(name);
    return a?.type === 'string' ? a.value : def;
  }

  tensor(name: string): OnnxTensor | undefined {
    const a = this.map.get(name);
    return a?.type === 'tensor' ? a.value : undefined;
  }

  /** An E0803 problem: `node 'x' (Op): attribute name = value is not supported: why`. */
  bad<T>(name: string, why: string): Result<T> {
    const a = this.map.get(name);
    const shown = a ? ` = ${showValue(a)}` : '';
    return fail('E0803', `${this.label}: attribute ${name}${shown} is not supported: ${why}`);
  }
}
