/**
 * Checks shared by kernels at prepare time: how many inputs and outputs a node has, and the
 * attributes old opsets allowed on simple ops.
 */
import { fail, type Result } from '../../../onnx/read.js';
import type { AttrType } from '../attrs.js';
import type { PrepareContext } from '../kernel.js';

/** Present inputs count: trailing omitted ('') inputs do not count. */
export function inputCount(ctx: PrepareContext): number {
  let n = ctx.node.inputs.length;
  while (n > 0 && ctx.node.inputs[n - 1] === '') n--;
  return n;
}

export function arity(ctx: PrepareContext, inputs: [number, number], outputs: [number, number]): Result<void> {
  const n = inputCount(ctx);
  if (n < inputs[0] || n > inputs[1]) {
    return fail('E0801', `${ctx.label} has ${n} inputs, expected ${inputs[0] === inputs[1] ? inputs[0] : `${inputs[0]} to ${inputs[1]}`}`);
  }
  for (let i = 0; i < inputs[0]; i++) {
    if (ctx.node.inputs[i] === '') return fail('E0801', `${ctx.label} leaves its required input ${i} empty`);
  }
  const m = ctx.node.outputs.length;
  if (m < outputs[0] || m > outputs[1]) {
    return fail('E0801', `${ctx.label} has ${m} outputs, expected ${outputs[0] === outputs[1] ? outputs[0] : `${outputs[0]} to ${outputs[1]}`}`);
  }
  return { ok: true, value: undefined };
}

/** `consumed_inputs`, an attribute of many ops before opset 6 that only mattered to old runtimes. */
export function legacyAttrs(ctx: PrepareContext): Record<string, AttrType> {
  return ctx.opset < 6 ? { consumed_inputs: 'ints' } : {};
}

/** Checks attributes, then arity; the first problem found. */
export function checkNode(
  ctx: PrepareContext, allowed: Record<string, AttrType>, inputs: [number, number], outputs: [number, number],
): Result<void> {
  const a = ctx.attrs.check({ ...legacyAttrs(ctx), ...allowed });
  if (!a.ok) return a;
  return arity(ctx, inputs, outputs);
}
