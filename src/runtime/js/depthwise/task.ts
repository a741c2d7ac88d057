/**
 * A depthwise convolution (a Conv with one group per input channel, each producing `mult` output
 * channels), or a max pool, as an engine task of plain numbers. Each output plane is computed
 * alone: its input plane is copied into the thread's scratch block with the padding around it
 * (zeros for a conv, -Infinity for a max pool; set once per chunk), then the window slides over
 * that copy with no bounds checks, bias first, then the activation (activation.ts) over the
 * finished plane.
 *
 *   conv: y[img][o] = act(bias[o] + sum over ky, kx of w[o][ky][kx] * x[img][o / mult][oy*sh - pt + ky*dh][ox*sw - pl + kx*dw])
 *   max:  y[img][o] = max over ky, kx of x[img][o][oy*sh - pt + ky*dh][ox*sw - pl + kx*dw]
 */
export interface DepthwiseTask {
  /** Float offsets: input, output, weights ([c*mult][kh][kw], any batch norm folded in), bias (-1: none). */
  x: number;
  y: number;
  w: number;
  bias: number;
  n: number;
  c: number;
  mult: number;
  h: number;
  wd: number;
  oh: number;
  ow: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  dh: number;
  dw: number;
  /** Height and width of the padded copy in scratch. */
  hp: number;
  wp: number;
  /** Float offsets of the scratch blocks of thread 0 and 1, hp * wp floats each. */
  scr0: number;
  scr1: number;
  act: number;
  actA: number;
  actB: number;
  /** Square kernel size for the task table's cost estimate (max of kh, kw). */
  k: number;
  /** 0: depthwise conv, 1: max pool. */
  mode: number;
}

export const depthwiseFields = [
  'x', 'y', 'w', 'bias', 'n', 'c', 'mult', 'h', 'wd', 'oh', 'ow', 'kh', 'kw', 'sh', 'sw', 'pt', 'pl', 'dh', 'dw',
  'hp', 'wp', 'scr0', 'scr1', 'act', 'actA', 'actB', 'k', 'mode',
] as const satisfies readonly (keyof DepthwiseTask)[];

export function depthwisePlanes(t: DepthwiseTask): number {
  return t.n * t.c * t.mult;
}

/**
 * The padded copy's size: the input with its padding, wide and tall enough for every window of
 * the output, plus room for the SIMD kernel's last vector of four outputs (which may read past
 * the last window by up to 3 strides, and one more float for stride 2's paired loads).
 */
export function paddedSize(t: Pick<DepthwiseTask, 'h' | 'wd' | 'oh' | 'ow' | 'kh' | 'kw' | 'sh' | 'sw' | 'pt' | 'pl' | 'dh' | 'dw'>): { hp: number; wp: number } {
  const hp = Math.max(t.pt + t.h, (t.oh - 1) * t.sh + (t.kh - 1) * t.dh + 1);
  const wp = Math.max(t.pl + t.wd, (Math.max(t.ow, 4) + 3) * t.sw + (t.kw - 1) * t.dw + 2);
  return { hp, wp };
}

export const windowMode = { conv: 0, max: 1 } as const;

/** The value of the padding around the input: none of the window's sum, or of its max. */
export function padValue(t: DepthwiseTask): number {
  return t.mode === windowMode.max ? -Infinity : 0;
}

/** Float offsets of output plane p's input plane, output plane and weights. */
export function planeOffsets(t: DepthwiseTask, p: number): { src: number; dst: number; w: number; channel: number } {
  const per = t.c * t.mult;
  const img = Math.floor(p / per);
  const o = p - img * per;
  const ic = Math.floor(o / t.mult);
  return { src: t.x + (img * t.c + ic) * t.h * t.wd, dst: t.y + p * t.oh * t.ow, w: t.w + o * t.kh * t.kw, channel: o };
}
