/** The plain JS depthwise conv and max pool kernel (see task.ts), any window size, stride and dilation. */
import { scalarOf, type ActOp } from '../activation.js';
import { fromBits } from '../gemm/job.js';
import { padValue, planeOffsets, windowMode, type DepthwiseTask } from './task.js';

/** Copies input plane `src` into the padded scratch (whose padding is already zero). */
export function padPlane(f: Float32Array, t: DepthwiseTask, src: number, scratch: number): void {
  for (let y = 0; y < t.h; y++) {
    const from = src + y * t.wd;
    f.copyWithin(scratch + (y + t.pt) * t.wp + t.pl, from, from + t.wd);
  }
}

function convPlane(f: Float32Array, t: DepthwiseTask, scratch: number, dst: number, w: number, bias: number): void {
  for (let oy = 0; oy < t.oh; oy++) {
    for (let ox = 0; ox < t.ow; ox++) {
      let s = bias;
      const top = scratch + oy * t.sh * t.wp + ox * t.sw;
      for (let ky = 0; ky < t.kh; ky++) {
        const row = top + ky * t.dh * t.wp;
        for (let kx = 0; kx < t.kw; kx++) s += f[w + ky * t.kw + kx]! * f[row + kx * t.dw]!;
      }
      f[dst + oy * t.ow + ox] = s;
    }
  }
}

/** The max of each window; a NaN in it wins, as in the pool kernels. */
function maxPlane(f: Float32Array, t: DepthwiseTask, scratch: number, dst: number): void {
  for (let oy = 0; oy < t.oh; oy++) {
    for (let ox = 0; ox < t.ow; ox++) {
      let m = -Infinity;
      const top = scratch + oy * t.sh * t.wp + ox * t.sw;
      for (let ky = 0; ky < t.kh; ky++) {
        const row = top + ky * t.dh * t.wp;
        for (let kx = 0; kx < t.kw; kx++) {
          const v = f[row + kx * t.dw]!;
          if (v > m || v !== v) m = v;
        }
      }
      f[dst + oy * t.ow + ox] = m;
    }
  }
}

export function depthwiseJs(f: Float32Array, t: DepthwiseTask, p0: number, p1: number, thread: number): void {
  const scratch = thread === 0 ? t.scr0 : t.scr1;
  f.fill(padValue(t), scratch, scratch + t.hp * t.wp);
  const act = scalarOf({ op: t.act as ActOp, a: fromBits(t.actA), b: fromBits(t.actB) });
  const size = t.oh * t.ow;
  for (let p = p0; p < p1; p++) {
    const at = planeOffsets(t, p);
    padPlane(f, t, at.src, scratch);
    if (t.mode === windowMode.max) maxPlane(f, t, scratch, at.dst);
    else convPlane(f, t, scratch, at.dst, at.w, t.bias < 0 ? 0 : f[t.bias + at.channel]!);
    if (t.act !== 0) for (let i = at.dst; i < at.dst + size; i++) f[i] = act(f[i]!);
  }
}
