/**
 * A tiny, straightforward float64 reference for the ops the ONNX tests use, NCHW, batch loops
 * written out. Slow and obvious on purpose: it is what onnxruntime's outputs are checked against.
 */
export interface T {
  shape: number[];
  data: Float64Array;
}

export const tensor = (shape: number[], data: ArrayLike<number>): T => ({ shape, data: Float64Array.from(data) });

function zeros(shape: number[]): T {
  return { shape, data: new Float64Array(shape.reduce((p, d) => p * d, 1)) };
}

export interface ConvParams {
  strides: [number, number];
  pads: [number, number, number, number];
  group: number;
}

export function conv(x: T, w: T, b: T | undefined, p: ConvParams): T {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [m, cg, kh, kw] = w.shape as [number, number, number, number];
  const oh = Math.floor((h + p.pads[0] + p.pads[2] - kh) / p.strides[0]) + 1;
  const ow = Math.floor((wd + p.pads[1] + p.pads[3] - kw) / p.strides[1]) + 1;
  const y = zeros([n, m, oh, ow]);
  const mg = m / p.group;
  for (let ni = 0; ni < n; ni++)
    for (let mi = 0; mi < m; mi++) {
      const g = Math.floor(mi / mg);
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) {
          let s = b ? (b.data[mi] as number) : 0;
          for (let ci = 0; ci < cg; ci++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const iy = oy * p.strides[0] - p.pads[0] + ky;
                const ix = ox * p.strides[1] - p.pads[1] + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                const xv = x.data[((ni * c + g * cg + ci) * h + iy) * wd + ix] as number;
                s += xv * (w.data[((mi * cg + ci) * kh + ky) * kw + kx] as number);
              }
          y.data[((ni * m + mi) * oh + oy) * ow + ox] = s;
        }
    }
  return y;
}

export function batchNorm(x: T, scale: T, bias: T, mean: T, variance: T, eps: number): T {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const y = zeros(x.shape);
  x.data.forEach((v, i) => {
    const ch = Math.floor(i / (h * w)) % c;
    const k = scale.data[ch]! / Math.sqrt(variance.data[ch]! + eps);
    y.data[i] = (v - mean.data[ch]!) * k + bias.data[ch]!;
  });
  return y;
}

export const map = (x: T, f: (v: number) => number): T => ({ shape: x.shape, data: x.data.map(f) });
export const relu = (x: T): T => map(x, (v) => Math.max(0, v));
export const sigmoid = (x: T): T => map(x, (v) => 1 / (1 + Math.exp(-v)));
export const add = (a: T, b: T): T => ({ shape: a.shape, data: a.data.map((v, i) => v + b.data[i]!) });

/** Max or average pooling; the average counts only the positions inside the input. */
export function pool(x: T, kind: 'max' | 'avg', k: [number, number], s: [number, number], pads: [number, number]): T {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const oh = Math.floor((h + 2 * pads[0] - k[0]) / s[0]) + 1;
  const ow = Math.floor((w + 2 * pads[1] - k[1]) / s[1]) + 1;
  const y = zeros([n, c, oh, ow]);
  for (let nc = 0; nc < n * c; nc++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        let acc = kind === 'max' ? -Infinity : 0;
        let count = 0;
        for (let ky = 0; ky < k[0]; ky++)
          for (let kx = 0; kx < k[1]; kx++) {
            const iy = oy * s[0] - pads[0] + ky;
            const ix = ox * s[1] - pads[1] + kx;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            const v = x.data[(nc * h + iy) * w + ix]!;
            acc = kind === 'max' ? Math.max(acc, v) : acc + v;
            count++;
          }
        y.data[(nc * oh + oy) * ow + ox] = kind === 'max' ? acc : acc / count;
      }
  return y;
}

export function globalAveragePool(x: T): T {
  const [, , h, w] = x.shape as [number, number, number, number];
  return pool(x, 'avg', [h, w], [1, 1], [0, 0]);
}

export const flatten = (x: T): T => ({ shape: [x.shape[0]!, x.data.length / x.shape[0]!], data: x.data });

/** Gemm with transB = 1: y = x w^T + b. */
export function gemm(x: T, w: T, b: T): T {
  const [n, k] = x.shape as [number, number];
  const m = w.shape[0]!;
  const y = zeros([n, m]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = b.data[j]!;
      for (let l = 0; l < k; l++) s += x.data[i * k + l]! * w.data[j * k + l]!;
      y.data[i * m + j] = s;
    }
  return y;
}

/** Zero padding of the channel axis, `before` and `after` channels. */
export function padChannels(x: T, before: number, after: number): T {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const co = c + before + after;
  const y = zeros([n, co, h, w]);
  for (let ni = 0; ni < n; ni++) y.data.set(x.data.subarray(ni * c * h * w, (ni + 1) * c * h * w), (ni * co + before) * h * w);
  return y;
}
