/** dropout and identity: the identity at inference. The clean-up pass removes them; lowering aliases them away. */
import { tensorType } from '../types.js';
import { noParams, type OpDef } from './op.js';

export const dropout: OpDef = {
  name: 'dropout',
  arity: 1,
  attrs: { p: 0.5 },
  inferenceIdentity: true,
  syntax: [
    {
      name: 'dropout',
      doc: 'dropout (the identity at inference)',
      args: [
        {
          name: 'p',
          kind: 'real',
          doc: 'probability of an element to be zeroed',
          positional: true,
          default: 0.5,
          check: (v) => ((v as number) >= 0 && (v as number) < 1 ? undefined : `must be at least 0 and below 1, found ${v}`),
        },
      ],
    },
  ],
  infer: (_a, [x]) => tensorType(x!.shape),
  params: noParams,
};

export const identity: OpDef = {
  name: 'identity',
  arity: 1,
  attrs: {},
  inferenceIdentity: true,
  syntax: [{ name: 'identity', doc: 'the input, unchanged', args: [] }],
  infer: (_a, [x]) => tensorType(x!.shape),
  params: noParams,
};

/**
 * Stochastic depth (Huang et al. 2016; torchvision.ops.StochasticDepth): in training, a residual
 * branch is dropped with probability p (per sample, or per batch); at inference, the identity.
 * Kept in the spec so that a training backend can use it.
 */
export const stochasticDepth: OpDef = {
  name: 'stochastic_depth',
  arity: 1,
  attrs: { p: 0, batch: false },
  inferenceIdentity: true,
  syntax: [
    {
      name: 'stochastic_depth',
      doc: 'drops a residual branch with probability p in training (torchvision.ops.StochasticDepth); the identity at inference',
      args: [
        { name: 'p', kind: 'real', doc: 'probability of dropping the branch', positional: true, check: (v) => ((v as number) >= 0 && (v as number) <= 1 ? undefined : `must be from 0 to 1, found ${v}`), missing: { code: 'E0106', message: 'needs its probability', help: () => 'write stochastic_depth(0.1)' } },
        { name: 'batch', kind: 'bool', doc: 'one draw for the whole batch (mode "batch") rather than per sample ("row")', default: false },
      ],
    },
  ],
  infer: (_a, [x]) => tensorType(x!.shape),
  params: noParams,
};
