/**
 * Gemm: Y = alpha * A' * B' + beta * C, where A' and B' are A and B transposed when transA and
 * transB are set, and C (optional from opset 11) broadcasts to [M, N]. With constant B (and C a
 * constant vector or absent) it runs on the GEMM engine (fc.ts), else with plain loops.
 */
import type { AttrType } from '../attrs.js';
import { broadcastDims } from '../broadcast.js';
import { need, optional, shapeError } from '../inputs.js';
import { step, type Kernel } from '../kernel.js';
import { shapeText } from '../tensor.js';
import { checkNode } from './arity.js';
import { binaryInto } from './binary.js';
import { matmulInto } from './dense.js';
import { packFc, runFc } from './fc.js';

export const Gemm: Kernel = (ctx) => {
  const legacy: Record<string, AttrType> = ctx.opset < 7 ? { broadcast: 'int' } : {};
  const c = checkNode(ctx, { alpha: 'float', beta: 'float', transA: 'int', transB: 'int', ...legacy }, [ctx.opset < 11 ? 3 : 2, 3], [1, 1]);
  if (!c.ok) return c;
  const alpha = ctx.attrs.float('alpha', 1);
  const beta = ctx.attrs.float('beta', 1);
  const transA = ctx.attrs.int('transA', 0) !== 0;
  const transB = ctx.attrs.int('transB', 0) !== 0;
  const b = ctx.constant(1);
  const cIn = (ctx.node.inputs[2] ?? '') === '' ? undefined : ctx.constant(2);
  const cRuntime = (ctx.node.inputs[2] ?? '') !== '' && cIn === undefined;
  const fc = b && !cRuntime ? packFc(ctx.arena, b, transB, cIn, alpha, beta) : undefined;
  if (fc) {
    return step({ consumed: [1, 2], run: (inputs, env) => [runFc(fc, need(inputs, 0, ctx.label), transA, env, ctx.label)] });
  }
  return step({
    run(inputs, env) {
      const a = need(inputs, 0, ctx.label);
      const b = need(inputs, 1, ctx.label);
      if (a.dims.length !== 2 || b.dims.length !== 2) shapeError(ctx.label, `A ${shapeText(a.dims)} and B ${shapeText(b.dims)} must be matrices`);
      const [m, k] = transA ? [a.dims[1]!, a.dims[0]!] : [a.dims[0]!, a.dims[1]!];
      const [kb, n] = transB ? [b.dims[1]!, b.dims[0]!] : [b.dims[0]!, b.dims[1]!];
      if (k !== kb) shapeError(ctx.label, `A ${shapeText(a.dims)} and B ${shapeText(b.dims)} do not multiply`);
      const y = env.output([m, n]);
      matmulInto(
        y.data, 0,
        { data: a.data, off: 0, rs: transA ? 1 : k, cs: transA ? m : 1 },
        { data: b.data, off: 0, rs: transB ? 1 : n, cs: transB ? k : 1 },
        m, k, n, alpha,
      );
      const cIn = optional(inputs, 2, ctx.label);
      if (cIn !== undefined && beta !== 0) {
        const dims = broadcastDims([m, n], cIn.dims);
        if (dims === undefined || dims.join() !== `${m},${n}`) shapeError(ctx.label, `C ${shapeText(cIn.dims)} does not broadcast to [${m}, ${n}]`);
        const scaled = beta === 1 ? cIn : { dims: cIn.dims, data: cIn.data.map((v) => v * beta) };
        binaryInto('add', y.data, [m, n], y, scaled);
      }
      return [y];
    },
  });
};
