/**
 * Attaching weights to a graph's parameter tensors: seeded initialization, or tensors loaded from
 * a PyTorch state_dict (safetensors), matched strictly like PyTorch's load_state_dict: missing
 * names, unexpected names and shape mismatches are all listed in one error.
 */
import type { IrGraph, ParamTensor } from '../ir/types.js';
import { lazyTensor } from '../ir/tensor-values.js';
import { fillSeeded, type SeedJob } from './init.js';

/**
 * Where a seeded tensor's values are made: given the tensor's job, its producer (which fills the
 * array it is given with fillSeeded's values, whoever makes them). The default makes them on the
 * calling thread; the CLI's compile injects one that shares the work with a worker thread.
 */
export type SeededMaker = (job: SeedJob) => (out: Float32Array) => void;

/** Makes each tensor on the thread that asks for it. */
export const makeHere: SeededMaker = (job) => (out) => fillSeeded(job, out);

/** The shape of the weight a bias belongs to (its fan-in sets the bias's init bound). */
function weightShapeOf(g: IrGraph, bias: ParamTensor): readonly number[] | undefined {
  const owner = bias.name.slice(0, bias.name.lastIndexOf('.'));
  return g.params.get(`${owner}.weight`)?.shape;
}

/**
 * Every parameter tensor given seeded values (torchvision's scheme), replacing any data. The values
 * are made on demand (`tensorValues`), each tensor's from the seed and its name alone: nothing is
 * computed here, and a compile makes each tensor only when it writes it.
 */
export function seedWeights(g: IrGraph, seed: number, make: SeededMaker = makeHere): IrGraph {
  const params = new Map<string, ParamTensor>();
  for (const [name, p] of g.params) {
    const ws = p.init === 'conv_bias' || p.init === 'fc_bias' ? weightShapeOf(g, p) : undefined;
    const job: SeedJob = { seed, name, init: p.init, shape: p.shape, ...(ws ? { weightShape: ws } : {}) };
    params.set(name, lazyTensor(p, make(job)));
  }
  return { ...g, params };
}

export interface LoadedTensor {
  shape: readonly number[];
  data: Float32Array;
}

/** Names PyTorch's state_dict holds that carry no weight a network needs. */
const ignored = /(^|\.)num_batches_tracked$/;

export type LoadResult = { ok: true; graph: IrGraph } | { ok: false; problems: string[] };

export function loadWeights(g: IrGraph, tensors: ReadonlyMap<string, LoadedTensor>): LoadResult {
  const missing: string[] = [];
  const mismatched: string[] = [];
  const params = new Map<string, ParamTensor>();
  for (const [name, p] of g.params) {
    const t = tensors.get(name);
    if (!t) {
      missing.push(name);
      continue;
    }
    if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
      mismatched.push(`${name}: the file has [${t.shape.join(', ')}], the network needs [${p.shape.join(', ')}]`);
      continue;
    }
    params.set(name, { ...p, data: t.data });
  }
  const unexpected = [...tensors.keys()].filter((n) => !g.params.has(n) && !ignored.test(n)).sort();
  const problems: string[] = [];
  const list = (title: string, names: string[]) => {
    if (names.length === 0) return;
    const shown = names.slice(0, 20);
    problems.push(`${title} (${names.length}): ${shown.join(', ')}${names.length > shown.length ? `, and ${names.length - shown.length} more` : ''}`);
  };
  list('missing from the file', missing);
  list('in the file but not in the network', unexpected);
  list('shapes differ', mismatched);
  return problems.length ? { ok: false, problems } : { ok: true, graph: { ...g, params } };
}
