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
