/** Fresh value names for constants a rewrite adds, unlike any name of the model. */
import type { OnnxModel } from '../../../onnx/model.js';

export class Names {
  private readonly taken = new Set<string>();
  private count = 0;

  /** `constants`: names of constants the model may no longer list (see PrepareOptions.takeWeights). */
  constructor(model: OnnxModel, constants: Iterable<string> = []) {
    for (const t of model.initializers) this.taken.add(t.name);
    for (const name of constants) this.taken.add(name);
    for (const v of [...model.inputs, ...model.outputs]) this.taken.add(v.name);
    for (const n of model.nodes) for (const v of [...n.inputs, ...n.outputs]) this.taken.add(v);
  }

  /** `base` with a suffix that makes it new. */
  fresh(base: string): string {
    let name: string;
    do name = `${base}:${this.count++}`;
    while (this.taken.has(name));
    this.taken.add(name);
    return name;
  }
}
