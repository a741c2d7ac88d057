/**
 * Pad in constant, reflect or edge mode. Pads come from the `pads` input (opset 11, a constant,
 * with optional constant `axes` from opset 18) or the `pads` attribute before; negative pads crop.
 */
import type { Result } from '../../../onnx/read.js';
import { fail } from '../../../onnx/read.js';
import { intsOf, need, shapeError } from '../inputs.js';
import { step, type Kernel, type PrepareContext } from '../kernel.js';
import { shapeText, stridesOf } from '../tensor.js';
import { checkNode } from './arity.js';

type Mode = 'constant' | 'reflect' | 'edge';

/** Source index along one axis for each output position; -1 means the pad value. */
function axisMap(size: number, begin: number, out: number, mode: Mode): Int32Array {
  const map = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    let s = o - begin;
    if (s < 0 || s >= size) {
      if (mode === 'constant') s = -1;
      else if (mode === 'edge') s = s < 0 ? 0 : size - 1;
      else if (size === 1) s = 0;
      else {
        const period = 2 * (size - 1);
        s = ((s % period) + period) % period;
        if (s >= size) s = period - s;
      }
    }
    map[o] = s;
  }
  return map;
}

interface PadSetup {
  mode: Mode;
  /** Begin and end pads per axis listed in `axes` (all axes when undefined). */
  pads: number[];
  axes: number[] | undefined;
  value: number;
}

function readPad(ctx: PrepareContext): Result<PadSetup> {
  const old = ctx.opset < 11;
  const c = checkNode(ctx, old ? { mode: 'string', pads: 'ints', paddings: 'ints', value: 'float' } : { mode: 'string' }, old ? [1, 1] : [2, 4], [1, 1]);
  if (!c.ok) return c;
  const mode = ctx.attrs.string('mode', 'constant');
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'edge') return ctx.attrs.bad('mode', 'expected constant, reflect or edge');
  if (old) {
    const pads = ctx.attrs.ints(ctx.attrs.has('pads') ? 'pads' : 'paddings', []);
    return { ok: true, value: { mode, pads, axes: undefined, value: ctx.attrs.float('value', 0) } };
  }
  const p = ctx.constant(1);
  if (p === undefined) return fail('E0803', `${ctx.label}: the pads input must be a constant`);
  const axesIn = ctx.node.inputs[3] ?? '';
  const axesT = axesIn === '' ? undefined : ctx.constant(3);
  if (axesIn !== '' && axesT === undefined) return fail('E0803', `${ctx.label}: the axes input must be a constant`);
  const v = (ctx.node.inputs[2] ?? '') === '' ? undefined : ctx.constant(2);
  return { ok: true, value: { mode, pads: intsOf(p), axes: axesT ? intsOf(axesT) : undefined, value: v ? Number(v.data[0] ?? 0) : 0 } };
}

export const Pad: Kernel = (ctx) => {
  const r = readPad(ctx);
  if (!r.ok) return r;
  const setup = r.value;
  const valueIn = ctx.node.inputs[2] ?? '';
  const valueAtRun = valueIn !== '' && ctx.constant(2) === undefined;
  return step({
    consumed: ctx.opset < 11 ? [] : valueAtRun ? [1, 3] : [1, 2, 3],
    run(inputs, env) {
      const x = need(inputs, 0, ctx.label);
      const rank = x.dims.length;
      const axes = (setup.axes ?? x.dims.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
      if (setup.pads.length !== 2 * axes.length || axes.some((a) => a < 0 || a >= rank)) {
        shapeError(ctx.label, `pads [${setup.pads.join(', ')}] do not fit input ${shapeText(x.dims)}`);
      }
      const begin = new Array<number>(rank).fill(0);
      const end = new Array<number>(rank).fill(0);
      axes.forEach((a, i) => {
        begin[a] = setup.pads[i]!;
        end[a] = setup.pads[i + axes.length]!;
      });
      const dims = x.dims.map((d, i) => d + begin[i]! + end[i]!);
      if (dims.some((d) => d < 0)) shapeError(ctx.label, `pads crop input ${shapeText(x.dims)} below zero`);
      if (setup.mode !== 'constant' && x.dims.some((d, i) => d === 0 && dims[i]! > 0)) shapeError(ctx.label, `cannot ${setup.mode}-pad an empty axis`);
      const value = valueAtRun ? need(inputs, 2, ctx.label).data[0] ?? 0 : setup.value;
      const y = env.output(dims);
      fill(y.data, x.data, dims, x.dims.map((d, i) => axisMap(d, begin[i]!, dims[i]!, setup.mode)), stridesOf(x.dims), value);
      return [y];
    },
  });
};

/** Writes every output element from its source, axis maps composing the source offset. */
function fill(out: Float32Array, src: Float32Array, dims: number[], maps: Int32Array[], strides: number[], value: number): void {
  const rank = dims.length;
  const total = out.length;
  if (total === 0) return;
  if (rank === 0) {
    out[0] = src[0]!;
    return;
  }
  const index = new Array<number>(rank).fill(0);
  const last = maps[rank - 1]!;
  const lastStride = strides[rank - 1]!;
  const len = dims[rank - 1]!;
  for (let o = 0; o < total; o += len) {
    let base = 0;
    let inside = true;
    for (let d = 0; d < rank - 1; d++) {
      const s = maps[d]![index[d]!]!;
      if (s < 0) inside = false;
      base += s * strides[d]!;
    }
    for (let t = 0; t < len; t++) {
      const s = last[t]!;
      out[o + t] = inside && s >= 0 ? src[base + s * lastStride]! : value;
    }
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d]! < dims[d]!) break;
      index[d] = 0;
    }
  }
}
