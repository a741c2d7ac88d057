/**
 * MaxPool and AveragePool over 1-d or 2-d windows: for each image plane and output position, the
 * window clipped to the input (and, for an average counting pads, to the padded input). MaxPool
 * runs as an engine task shared by both threads (the depthwise kernels' max mode, SIMD for the
 * common windows); AveragePool with the loops below.
 */
import { fail, type Result } from '../../../onnx/read.js';
import { asHW, axesFor, readWindow, type Axis } from '../geometry.js';
import { inArena, need, shapeError } from '../inputs.js';
import { paddedSize, windowMode, type DepthwiseTask } from '../depthwise/task.js';
import { Task } from '../engine/tasks.js';
import { step, type Env, type Kernel, type PrepareContext } from '../kernel.js';
import { shapeText, type Tensor } from '../tensor.js';
import { checkNode } from './arity.js';

/**
 * Along one axis, for each output position: the first input index its window reads, how many
 * inputs it reads (the window clipped to the input; with dilation d they are d apart), and how
 * many positions it has inside the padded input.
 */
interface Spans {
  first: Int32Array;
  count: Int32Array;
  padded: Int32Array;
}

function spans(a: Axis, n: number): Spans {
  const s: Spans = { first: new Int32Array(a.out), count: new Int32Array(a.out), padded: new Int32Array(a.out) };
  for (let o = 0; o < a.out; o++) {
    const start = o * a.s - a.padBegin;
    let first = -1;
    for (let t = 0; t < a.k; t++) {
      const i = start + t * a.d;
      if (i >= 0 && i < n) {
        if (first < 0) first = i;
        s.count[o]!++;
      }
      if (i >= -a.padBegin && i < n + a.padEnd) s.padded[o]!++;
    }
    s.first[o] = Math.max(first, 0);
  }
  return s;
}

/** Max or average of every window of one plane. */
type Reduce = (src: Float32Array, base: number, w: number, ry: Spans, rx: Spans, dy: number, dx: number, out: Float32Array, at: number) => void;

function averagePlane(includePad: boolean): Reduce {
  return (src, base, w, ry, rx, dy, dx, out, at) => {
    const { first: fy, count: cy, padded: py } = ry;
    const { first: fx, count: cx, padded: px } = rx;
    const rowStep = dy * w;
    for (let oy = 0; oy < fy.length; oy++) {
      const rows = cy[oy]!;
      const top = base + fy[oy]! * w;
      for (let ox = 0; ox < fx.length; ox++) {
        const cols = cx[ox]!;
        let s = 0;
        for (let ty = 0, row = top + fx[ox]!; ty < rows; ty++, row += rowStep) {
          for (let tx = 0, p = row; tx < cols; tx++, p += dx) s += src[p]!;
        }
        const n = includePad ? py[oy]! * px[ox]! : rows * cols;
        out[at++] = n > 0 ? s / n : 0;
      }
    }
  };
}

/** A max pool on the engine: the depthwise task's max mode over padded copies of each plane. */
function maxOnEngine(x: Tensor, y: Tensor, ay: Axis, ax: Axis, env: Env): void {
  const temps: Float32Array[] = [];
  const [h, wd] = x.dims.length === 4 ? [x.dims[2]!, x.dims[3]!] : [1, x.dims[2]!];
  const geometry = { h, wd, oh: ay.out, ow: ax.out, kh: ay.k, kw: ax.k, sh: ay.s, sw: ax.s, pt: ay.padBegin, pl: ax.padBegin, dh: ay.d, dw: ax.d };
  const { hp, wp } = paddedSize(geometry);
  const [scr0, scr1] = env.engine.scratchFor(hp * wp);
  const task: DepthwiseTask = {
    ...geometry, hp, wp, scr0, scr1, x: inArena(env, x, temps), y: env.arena.offsetOf(y.data)!, w: 0, bias: -1,
    n: x.dims[0]!, c: x.dims[1]!, mult: 1, act: 0, actA: 0, actB: 0, k: Math.max(ay.k, ax.k), mode: windowMode.max,
  };
  env.engine.run(Task.depthwise, task as unknown as Record<string, number>);
  for (const t of temps) env.free(t);
}

function poolKernel(
  allowed: Record<string, 'int' | 'ints' | 'string'>, check: (ctx: PrepareContext) => Result<void>,
  reduce: (ctx: PrepareContext) => Reduce | 'max',
): Kernel {
  return (ctx) => {
    const c = checkNode(ctx, { auto_pad: 'string', ceil_mode: 'int', kernel_shape: 'ints', pads: 'ints', strides: 'ints', ...allowed }, [1, 1], [1, 2]);
    if (!c.ok) return c;
    if ((ctx.node.outputs[1] ?? '') !== '') return fail('E0803', `${ctx.label}: the Indices output is not supported`);
    const extra = check(ctx);
    if (!extra.ok) return extra;
    const window = readWindow(ctx.attrs, true);
    if (!window.ok) return window;
    const fn = reduce(ctx);
    return step({
      run(inputs, env) {
        const x = need(inputs, 0, ctx.label);
        const win = window.value;
        if (x.dims.length !== win.kernel.length + 2) {
          shapeError(ctx.label, `input of shape ${shapeText(x.dims)} does not fit a ${win.kernel.length}-d window`);
        }
        const axes = axesFor(win, x.dims.slice(2), win.kernel);
        if (typeof axes === 'string') shapeError(ctx.label, axes);
        const [ay, ax] = asHW(axes);
        const h = x.dims.length === 4 ? x.dims[2]! : 1;
        const w = x.dims[x.dims.length - 1]!;
        const y = env.output([x.dims[0]!, x.dims[1]!, ...axes.map((a) => a.out)]);
        if (fn === 'max') {
          if (y.data.length > 0) maxOnEngine(x, y, ay, ax, env);
          return [y];
        }
        const planes = x.dims[0]! * x.dims[1]!;
        const ry = spans(ay, h);
        const rx = spans(ax, w);
        for (let p = 0; p < planes; p++) fn(x.data, p * h * w, w, ry, rx, ay.d, ax.d, y.data, p * ay.out * ax.out);
        return [y];
      },
    });
  };
}

export const maxPool = poolKernel(
  { dilations: 'ints', storage_order: 'int' },
  () => ({ ok: true, value: undefined }),
  () => 'max',
);

export const averagePool = poolKernel(
  { count_include_pad: 'int', dilations: 'ints' },
  (ctx) => {
    const v = ctx.attrs.int('count_include_pad', 0);
    return v === 0 || v === 1 ? { ok: true, value: undefined } : ctx.attrs.bad('count_include_pad', 'expected 0 or 1');
  },
  (ctx) => averagePlane(ctx.attrs.int('count_include_pad', 0) === 1),
);
