/** ONNX's output-size rule for convolution and pooling windows, shared by conv, maxpool and avgpool. */
import type { InferError } from './op.js';
import { windowOutputSize } from '../../util/window.js';

export interface Window {
  k: number;
  stride: number;
  pad: number;
  dilation: number;
  ceil: boolean;
}

/** The output size along one axis of a square window with the same padding at both ends. */
export function windowOut(size: number, w: Window): number {
  return windowOutputSize(size, w.k, w.stride, w.dilation, w.pad, w.pad, w.ceil);
}

export function spatial(op: string, h: number, w: number, win: Window): [number, number] | InferError {
  if (win.k < 1 || win.stride < 1 || win.dilation < 1 || win.pad < 0)
    return { code: 'E0109', message: `${op} needs kernel, stride and dilation of at least 1 and padding of at least 0` };
  const oh = windowOut(h, win);
  const ow = windowOut(w, win);
  if (oh < 1 || ow < 1)
    return {
      code: 'E0203',
      message: `${op} with kernel ${win.k}, stride ${win.stride} and padding ${win.pad} leaves no output from a ${h}x${w} input`,
    };
  return [oh, ow];
}

/** ONNX `pads` of a square window: the same padding at the start and end of both axes. */
export function squarePads(pad: number): number[] {
  return [pad, pad, pad, pad];
}
