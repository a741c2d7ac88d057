/**
 * Window geometry shared by Conv, MaxPool and AveragePool: reading kernel_shape, strides, pads,
 * dilations, auto_pad and ceil_mode, and ONNX's output-size rule per spatial axis. One- and
 * two-dimensional windows are supported; a 1-d window is run as a 2-d one of height 1.
 */
import type { Result } from '../../onnx/read.js';
import type { Attrs } from './attrs.js';
import { windowOutputSize } from '../../util/window.js';

export type AutoPad = 'NOTSET' | 'VALID' | 'SAME_UPPER' | 'SAME_LOWER';

export interface Window {
  /** Kernel size per spatial axis; empty when it is taken from the weights at run time (Conv). */
  kernel: number[];
  strides: number[] | undefined;
  dilations: number[] | undefined;
  /** Begin pads then end pads, as ONNX lists them; undefined means zeros. */
  pads: number[] | undefined;
  autoPad: AutoPad;
  ceil: boolean;
}

/** One spatial axis after the output-size rule. */
export interface Axis {
  k: number;
  s: number;
  d: number;
  padBegin: number;
  padEnd: number;
  out: number;
}

const autoPads: readonly string[] = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'];

function positive(v: number[] | undefined, rank: number): string | undefined {
  if (v === undefined) return undefined;
  if (rank > 0 && v.length !== rank) return `expected ${rank} values, one per spatial axis`;
  if (v.some((x) => !Number.isInteger(x) || x < 1)) return 'values must be positive integers';
  if (v.length > 2 || v.length < 1) return 'only 1-d and 2-d windows are supported';
  return undefined;
}

/** Reads and checks the window attributes; `kernelRequired` for pools. */
export function readWindow(attrs: Attrs, kernelRequired: boolean): Result<Window> {
  const kernel = attrs.ints('kernel_shape', []);
  if (kernelRequired && kernel.length === 0) return attrs.bad('kernel_shape', 'it is required');
  const rank = kernel.length;
  const w: Window = {
    kernel,
    strides: attrs.has('strides') ? attrs.ints('strides', []) : undefined,
    dilations: attrs.has('dilations') ? attrs.ints('dilations', []) : undefined,
    pads: attrs.has('pads') ? attrs.ints('pads', []) : undefined,
    autoPad: attrs.string('auto_pad', 'NOTSET') as AutoPad,
    ceil: attrs.int('ceil_mode', 0) !== 0,
  };
  for (const [name, v] of [['kernel_shape', rank > 0 ? kernel : undefined], ['strides', w.strides], ['dilations', w.dilations]] as const) {
    const why = positive(v, rank);
    if (why !== undefined) return attrs.bad(name, why);
  }
  if (!autoPads.includes(w.autoPad)) return attrs.bad('auto_pad', 'expected NOTSET, VALID, SAME_UPPER or SAME_LOWER');
  if (w.pads !== undefined) {
    if (w.autoPad !== 'NOTSET') return attrs.bad('pads', 'pads cannot be given with auto_pad');
    if ((rank > 0 && w.pads.length !== 2 * rank) || w.pads.length % 2 !== 0 || w.pads.length > 4) {
      return attrs.bad('pads', 'expected a begin and an end pad per spatial axis');
    }
    if (w.pads.some((p) => !Number.isInteger(p) || p < 0)) return attrs.bad('pads', 'pads must be non-negative');
  }
  const ceilMode = attrs.int('ceil_mode', 0);
  if (ceilMode !== 0 && ceilMode !== 1) return attrs.bad('ceil_mode', 'expected 0 or 1');
  return { ok: true, value: w };
}

/** The axes for input spatial sizes `sizes` and kernel `kernel`, or a message when they do not fit. */
export function axesFor(w: Window, sizes: readonly number[], kernel: readonly number[]): Axis[] | string {
  const rank = sizes.length;
  if (kernel.length !== rank) return `the window has ${kernel.length} spatial axes but the input has ${rank}`;
  for (const [name, v] of [['strides', w.strides], ['dilations', w.dilations]] as const) {
    if (v !== undefined && v.length !== rank) return `${name} has ${v.length} values for ${rank} spatial axes`;
  }
  if (w.pads !== undefined && w.pads.length !== 2 * rank) return `pads has ${w.pads.length} values for ${rank} spatial axes`;
  const axes: Axis[] = [];
  for (let i = 0; i < rank; i++) {
    const n = sizes[i]!;
    const k = kernel[i]!;
    const s = w.strides?.[i] ?? 1;
    const d = w.dilations?.[i] ?? 1;
    const span = (k - 1) * d + 1;
    let padBegin = w.pads?.[i] ?? 0;
    let padEnd = w.pads?.[i + rank] ?? 0;
    let out: number;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') {
      out = Math.ceil(n / s);
      const total = Math.max(0, (out - 1) * s + span - n);
      padBegin = w.autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
      padEnd = total - padBegin;
    } else {
      if (w.autoPad === 'VALID') padBegin = padEnd = 0;
      out = windowOutputSize(n, k, s, d, padBegin, padEnd, w.ceil);
      if (out < 1) return `the window of ${span} does not fit the padded size ${n + padBegin + padEnd}`;
    }
    axes.push({ k, s, d, padBegin, padEnd, out });
  }
  return axes;
}

/** Axes as height and width: a 1-d window gets a height axis of size 1. */
export function asHW(axes: readonly Axis[]): [Axis, Axis] {
  if (axes.length === 2) return [axes[0]!, axes[1]!];
  return [{ k: 1, s: 1, d: 1, padBegin: 0, padEnd: 0, out: 1 }, axes[0]!];
}
