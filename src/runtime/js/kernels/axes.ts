/**
 * The `axes` of Squeeze and Unsqueeze: an attribute before opset 13, an optional int64 input from
 * 13 (a constant, taken at prepare time, or a value read at run time).
 */
import { fail, type Result } from '../../../onnx/read.js';
import { intsOf, needInt } from '../inputs.js';
import type { PrepareContext } from '../kernel.js';
import type { Value } from '../tensor.js';

export interface AxesSource {
  /** Known at prepare time (undefined: none given). */
  fixed?: number[] | undefined;
  /** Read at run time from input 1. */
  runtime: boolean;
  consumed: number[];
}

export function readAxes(ctx: PrepareContext): Result<AxesSource> {
  if (ctx.opset < 13) return { ok: true, value: { fixed: ctx.attrs.has('axes') ? ctx.attrs.ints('axes', []) : undefined, runtime: false, consumed: [] } };
  if ((ctx.node.inputs[1] ?? '') === '') return { ok: true, value: { fixed: undefined, runtime: false, consumed: [] } };
  const t = ctx.constant(1);
  if (t === undefined) return { ok: true, value: { runtime: true, consumed: [] } };
  if (t.dataType !== 'int64') return fail('E0803', `${ctx.label}: axes must be int64`);
  return { ok: true, value: { fixed: intsOf(t), runtime: false, consumed: [1] } };
}

export function axesAt(src: AxesSource, inputs: readonly (Value | undefined)[], label: string): number[] | undefined {
  return src.runtime ? Array.from(needInt(inputs, 1, label).data, Number) : src.fixed;
}
