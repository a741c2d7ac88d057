/** A naive convolution for tests to compare against. */
import type { Tensor } from '../../../src/runtime/js/index.js';

export interface ConvOpts {
  strides: number[];
  pads: number[];
  dilations: number[];
  group: number;
}

/** Naive 2-d convolution with ONNX's padding and output-size rules. */
export function convRef(x: Tensor, w: Tensor, bias: Float32Array | undefined, o: ConvOpts): Tensor {
  const [n, c, h, wd] = x.dims as [number, number, number, number];
  const [m, cg, kh, kw] = w.dims as [number, number, number, number];
  const [sh, sw] = o.strides as [number, number];
  const [dh, dw] = o.dilations as [number, number];
  const [pt, pl, pb, pr] = o.pads as [number, number, number, number];
  const oh = Math.floor((h + pt + pb - ((kh - 1) * dh + 1)) / sh) + 1;
  const ow = Math.floor((wd + pl + pr - ((kw - 1) * dw + 1)) / sw) + 1;
  const mg = m / o.group;
  const out = new Float32Array(n * m * oh * ow);
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < m; oc++) {
      const g = Math.floor(oc / mg);
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          let s = bias ? bias[oc]! : 0;
          for (let ic = 0; ic < cg; ic++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const iy = y * sh - pt + ky * dh;
                const ix = xx * sw - pl + kx * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                s += x.data[((b * c + g * cg + ic) * h + iy) * wd + ix]! * w.data[((oc * cg + ic) * kh + ky) * kw + kx]!;
              }
          out[((b * m + oc) * oh + y) * ow + xx] = s;
        }
    }
  return { dims: [n, m, oh, ow], data: out };
}
