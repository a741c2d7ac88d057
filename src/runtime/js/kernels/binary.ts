/**
 * Elementwise functions of two inputs with NumPy broadcasting (Add, Sub, Mul, Div, Pow), including
 * the legacy `broadcast`/`axis` attributes of opsets before 7, which align the second operand at
 * `axis`. Float32 operands take the engine's vector kernels for the common shapes (same shape,
 * per-channel, scalar); int64 operands (shape arithmetic) are computed exactly, with Div
 * truncating. Pow takes a float or an int64 exponent.
 */
import { broadcastDims, forEachRow } from '../broadcast.js';
import { needValue, shapeError } from '../inputs.js';
import { step, type Env, type Kernel } from '../kernel.js';
import { isFloat, numel, RunError, shapeText, type Int64Tensor, type Tensor, type Value } from '../tensor.js';
import { checkNode } from './arity.js';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow';

const floatOps: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => Math.pow(x, y),
};

const intOps: Record<BinaryOp, (x: bigint, y: bigint) => bigint> = {
  add: (x, y) => BigInt.asIntN(64, x + y),
  sub: (x, y) => BigInt.asIntN(64, x - y),
  mul: (x, y) => BigInt.asIntN(64, x * y),
  div: (x, y) => (y === 0n ? 0n : x / y),
  pow: (x, y) => (y < 0n ? 0n : BigInt.asIntN(64, x ** y)),
};

/** out = a op b over the broadcast shape `dims`, in plain JS (any operand shapes). */
export function binaryInto(op: BinaryOp, out: Float32Array, dims: number[], a: Tensor, b: Tensor): void {
  const f = floatOps[op];
  const x = a.data;
  const y = b.data;
  forEachRow(dims, [a.dims, b.dims], (o, [ao, bo], [as, bs], len) => {
    for (let t = 0, i = ao!, j = bo!; t < len; t++, i += as!, j += bs!) out[o + t] = f(x[i]!, y[j]!);
  });
}

function intBinary(op: BinaryOp, dims: number[], a: Int64Tensor, b: Int64Tensor): Int64Tensor {
  const out = new BigInt64Array(numel(dims));
  const f = intOps[op];
  forEachRow(dims, [a.dims, b.dims], (o, [ao, bo], [as, bs], len) => {
    for (let t = 0, i = ao!, j = bo!; t < len; t++, i += as!, j += bs!) out[o + t] = f(a.data[i]!, b.data[j]!);
  });
  return { dims, data: out };
}

/** An int64 exponent of Pow as float32 values. */
function floatExponent(b: Int64Tensor): Tensor {
  return { dims: b.dims, data: Float32Array.from(b.data, Number) };
}

/** An int64 base to a float32 power: the power truncated to int64, as ONNX's Pow types say. */
function intPower(dims: number[], a: Int64Tensor, b: Tensor): Int64Tensor {
  const out = new BigInt64Array(numel(dims));
  forEachRow(dims, [a.dims, b.dims], (o, [ao, bo], [as, bs], len) => {
    for (let t = 0, i = ao!, j = bo!; t < len; t++, i += as!, j += bs!) {
      const v = Math.trunc(Math.pow(Number(a.data[i]!), b.data[j]!));
      out[o + t] = Number.isFinite(v) ? BigInt.asIntN(64, BigInt(v)) : 0n;
    }
  });
  return { dims, data: out };
}

function compute(op: BinaryOp, a: Value, b: Value, dims: number[], env: Env, label: string): Value {
  if (!isFloat(a) || !isFloat(b)) {
    if (op === 'pow' && isFloat(a) && !isFloat(b)) b = floatExponent(b);
    else if (op === 'pow' && !isFloat(a) && isFloat(b)) return intPower(dims, a, b);
    else if (!isFloat(a) && !isFloat(b)) return intBinary(op, dims, a, b);
    else throw new RunError('E0704', `${label}: operands of types float32 and int64 differ`);
  }
  const fb = b as Tensor;
  // An operand as large as the output is not broadcast, so element i is read before it is written.
  const out = env.output(dims, a, fb);
  if (!env.vector.binary(op, a, fb, out)) binaryInto(op, out.data, dims, a, fb);
  return out;
}

export function binaryKernel(op: BinaryOp): Kernel {
  return (ctx) => {
    const legacy = ctx.opset < 7;
    const c = checkNode(ctx, legacy ? { broadcast: 'int', axis: 'int' } : {}, [2, 2], [1, 1]);
    if (!c.ok) return c;
    const legacyBroadcast = legacy && ctx.attrs.int('broadcast', 0) !== 0;
    const axis = ctx.attrs.int('axis', -1);
    return step({
      run(inputs, env) {
        const a = needValue(inputs, 0, ctx.label);
        let b = needValue(inputs, 1, ctx.label);
        if (legacyBroadcast && b.dims.length < a.dims.length) {
          // Old broadcasting: b's dimensions line up with a's starting at axis.
          const start = axis < 0 ? a.dims.length - b.dims.length : axis;
          const trailing = a.dims.length - start - b.dims.length;
          if (trailing < 0) shapeError(ctx.label, `axis ${axis} does not fit shapes ${shapeText(a.dims)} and ${shapeText(b.dims)}`);
          b = { ...b, dims: [...b.dims, ...new Array<number>(trailing).fill(1)] };
        }
        const dims = broadcastDims(a.dims, b.dims);
        if (dims === undefined) shapeError(ctx.label, `shapes ${shapeText(a.dims)} and ${shapeText(b.dims)} do not broadcast`);
        if (legacy && !legacyBroadcast && b.dims.join() !== a.dims.join()) {
          shapeError(ctx.label, `shapes ${shapeText(a.dims)} and ${shapeText(b.dims)} differ and broadcast is 0`);
        }
        return [compute(op, a, b, dims, env, ctx.label)];
      },
    });
  };
}
