/**
 * A plain matrix product for Gemm and MatMul (small next to the convolutions of a ResNet):
 * out[i][j] = alpha * sum_k A(i, k) * B(k, j), with A and B read through row and column strides
 * so that transposed operands need no copy.
 */
export interface Strided {
  data: Float32Array;
  off: number;
  /** Stride between rows and between columns. */
  rs: number;
  cs: number;
}

export function matmulInto(out: Float32Array, oOff: number, a: Strided, b: Strided, m: number, k: number, n: number, alpha: number): void {
  const x = a.data;
  const y = b.data;
  if (b.cs === 1) {
    // Rows of B are contiguous: accumulate out's row i as a sum of B's rows.
    const acc = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const v = x[a.off + i * a.rs + p * a.cs]!;
        if (v === 0) continue;
        const row = b.off + p * b.rs;
        for (let j = 0; j < n; j++) acc[j]! += v * y[row + j]!;
      }
      for (let j = 0; j < n; j++) out[oOff + i * n + j] = alpha * acc[j]!;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ar = a.off + i * a.rs;
    for (let j = 0; j < n; j++) {
      const bc = b.off + j * b.cs;
      let s = 0;
      for (let p = 0; p < k; p++) s += x[ar + p * a.cs]! * y[bc + p * b.rs]!;
      out[oOff + i * n + j] = alpha * s;
    }
  }
}
