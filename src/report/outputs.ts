/**
 * `resdsl run`'s description of each output: shape, min, max and mean over the finite values,
 * how many values are NaN or infinite (a diverged network shows as counts, never as a min of
 * Infinity), and for rank-2 outputs such as logits the argmax of each sample. As a line of text,
 * or as JSON (where min, max and mean are null when no value is finite: JSON has no NaN).
 */
import type { Tensor } from '../io/tensor.js';

export interface OutputSummary {
  name: string;
  shape: number[];
  /** Over the finite values; null when there are none. */
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Values that are NaN. */
  nan: number;
  /** Values that are +Infinity or -Infinity. */
  inf: number;
  /** Index of the largest value of each sample (first dimension), for rank-2 outputs such as logits; NaN never wins. */
  argmax?: number[];
}

export function describeOutput(name: string, t: Tensor): OutputSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let nan = 0;
  let inf = 0;
  for (const v of t.data) {
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      finite++;
    } else if (Number.isNaN(v)) nan++;
    else inf++;
  }
  const s: OutputSummary = {
    name,
    shape: [...t.dims],
    min: finite ? min : null,
    max: finite ? max : null,
    mean: finite ? sum / finite : null,
    nan,
    inf,
  };
  if (t.dims.length === 2) {
    const [n, c] = t.dims as [number, number];
    s.argmax = Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let j = 1; j < c; j++) if (t.data[i * c + j]! > t.data[i * c + best]! || Number.isNaN(t.data[i * c + best]!)) best = j;
      return best;
    });
  }
  return s;
}

const num = (x: number | null) => (x === null ? '-' : x.toPrecision(5));

/** `logits: [2, 10] min -1.2 max 3.4 mean 0.12 argmax 3, 7`, with `nan N, inf N` where there are any. */
export function renderOutput(s: OutputSummary): string {
  const bad = [...(s.nan ? [`nan ${s.nan}`] : []), ...(s.inf ? [`inf ${s.inf}`] : [])];
  const stats = s.min === null ? 'no finite values' : `min ${num(s.min)} max ${num(s.max)} mean ${num(s.mean)}`;
  return `${s.name}: [${s.shape.join(', ')}] ${stats}${bad.length ? `, ${bad.join(', ')}` : ''}${s.argmax ? ` argmax ${s.argmax.join(', ')}` : ''}`;
}
