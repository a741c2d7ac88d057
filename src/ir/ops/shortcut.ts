/**
 * shortcut: an unresolved residual shortcut from the block input to the shape of the main path's
 * output (attributes `out`, `stride`: the target channels and the spatial ratio). The shortcut
 * pass replaces it by identity, option A (subsample and zero-pad) or a projection (conv1 + bn),
 * by policy (`policy` attribute: '' for the compile-wide default, or 'A', 'B', 'C'). It is written
 * as a residual operand (`PATH + shortcut(A)`), which elaboration handles, so it has no syntax of
 * its own here, and it never reaches lowering.
 */
import { tensorType } from '../types.js';
import { noParams, num, rankError, type OpDef } from './op.js';

export const shortcut: OpDef = {
  name: 'shortcut',
  arity: 1,
  attrs: { out: 0, stride: 1, policy: '' },
  infer(a, [x]) {
    if (x!.shape.length !== 4) return rankError('shortcut', 4, x!);
    const s = num(a, 'stride');
    const h = x!.shape[2] as number;
    const w = x!.shape[3] as number;
    return tensorType([x!.shape[0]!, num(a, 'out'), Math.floor((h - 1) / s) + 1, Math.floor((w - 1) / s) + 1]);
  },
  params: noParams,
};
