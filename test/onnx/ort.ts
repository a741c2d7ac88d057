/** Running an encoded model in onnxruntime-node, and comparing with a reference result. */
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { Case } from './models.js';
import type { T } from './reference.js';

/** Runs the case's single input through a session made from bytes or a file path. */
export async function runOrt(source: Uint8Array | string, input: Case['input']): Promise<{ shape: number[]; data: Float32Array }> {
  const session =
    typeof source === 'string' ? await ort.InferenceSession.create(source) : await ort.InferenceSession.create(source);
  try {
    const out = await session.run({ [input.name]: new ort.Tensor('float32', input.data, input.shape) });
    const y = out[session.outputNames[0]!]!;
    return { shape: [...y.dims], data: y.data as Float32Array };
  } finally {
    await session.release();
  }
}

export function expectClose(actual: { shape: number[]; data: Float32Array }, expected: T, tol = 1e-4): void {
  expect(actual.shape).toEqual(expected.shape);
  let worst = 0;
  expected.data.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - actual.data[i]!));
  });
  expect(worst).toBeLessThan(tol);
}
