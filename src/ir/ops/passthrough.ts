/** dropout and identity: the identity at inference. The clean-up pass removes them; lowering aliases them away. */
import { zeroMacs } from './op.js';
import { tensorType } from '../types.js';
import type { OpDef } from './op.js';

function passthrough(name: 'dropout' | 'identity', attrs: Record<string, number>): OpDef {
  return {
    name,
    arity: 1,
    attrs,
    infer: (_a, [x]) => tensorType(x!.shape),
    params: () => [],
    macs: zeroMacs,
    lower: () => null,
  };
}

export const dropout = passthrough('dropout', { p: 0.5 });
export const identity = passthrough('identity', {});
