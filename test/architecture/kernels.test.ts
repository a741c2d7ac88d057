/**
 * The executor runs what the compiler emits: every ONNX operator that some op definition's
 * lowering may emit (its declared `onnx.ops`) has a kernel in the executor's registry, which is
 * keyed by ONNX op type (src/runtime/js/ops.ts, kernels/index.ts). A new op whose lowering uses an
 * operator the executor lacks fails here, not in a user's `resdsl run`.
 */
import { describe, expect, it } from 'vitest';
import { ops } from '../../src/ir/ops/index.js';
import type { OpDef } from '../../src/ir/ops/op.js';
import { supportedOps } from '../../src/runtime/js/ops.js';
import { kernels } from '../../src/runtime/js/kernels/index.js';

describe('the lowering table and the executor registry', () => {
  const emitted = [...new Set(Object.values(ops as Record<string, OpDef>).flatMap((d) => d.onnx?.ops ?? []))].sort();

  it('every op that reaches lowering declares the ONNX operators it emits', () => {
    for (const [name, def] of Object.entries(ops as Record<string, OpDef>)) {
      if (def.inferenceIdentity || name === 'shortcut') continue;
      expect(def.onnx?.ops.length, name).toBeGreaterThan(0);
    }
  });

  it('has a kernel for every ONNX operator the lowering may emit', () => {
    expect(emitted.filter((op) => !(supportedOps as readonly string[]).includes(op))).toEqual([]);
    for (const op of emitted) expect(typeof (kernels as Record<string, unknown>)[op], op).toBe('function');
  });
});
