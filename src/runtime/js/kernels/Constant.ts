/**
 * Constant: its value is known at prepare time, so it is folded (never run). Tensor values of
 * float32 or int64, and the scalar and list forms of opset 12.
 */
import type { OnnxTensor } from '../../../onnx/model.js';
import { fail } from '../../../onnx/read.js';
import type { Kernel } from '../kernel.js';
import { checkNode } from './arity.js';

export const Constant: Kernel = (ctx) => {
  const c = checkNode(ctx, { value: 'tensor', value_float: 'float', value_floats: 'floats', value_int: 'int', value_ints: 'ints' }, [0, 0], [1, 1]);
  if (!c.ok) return c;
  const a = ctx.attrs;
  const name = ctx.node.outputs[0]!;
  const given = a.names;
  if (given.length !== 1) return fail('E0803', `${ctx.label}: expected exactly one value attribute, found ${given.length}`);
  let t: OnnxTensor;
  if (a.has('value')) t = { ...a.tensor('value')!, name };
  else if (a.has('value_float')) t = { name, dims: [], dataType: 'float32', data: Float32Array.of(a.float('value_float', 0)) };
  else if (a.has('value_floats')) {
    const v = a.floats('value_floats', []);
    t = { name, dims: [v.length], dataType: 'float32', data: Float32Array.from(v) };
  } else if (a.has('value_int')) t = { name, dims: [], dataType: 'int64', data: BigInt64Array.of(BigInt(a.int('value_int', 0))) };
  else {
    const v = a.ints('value_ints', []);
    t = { name, dims: [v.length], dataType: 'int64', data: BigInt64Array.from(v, (x) => BigInt(x)) };
  }
  return { ok: true, value: { kind: 'folded', outputs: [t] } };
};
