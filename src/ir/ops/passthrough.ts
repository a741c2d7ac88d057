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
  pytorch: { form: () => ({ kind: 'module', cls: 'nn.Dropout', args: [{ name: 'p', from: { attr: 'p' }, type: 'float', default: 0.5 }] }) },
};

export const identity: OpDef = {
  name: 'identity',
  arity: 1,
  attrs: {},
  inferenceIdentity: true,
  syntax: [{ name: 'identity', doc: 'the input, unchanged', args: [] }],
  infer: (_a, [x]) => tensorType(x!.shape),
  params: noParams,
  pytorch: { form: () => ({ kind: 'module', cls: 'nn.Identity', args: [] }) },
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
  pytorch: {
    form: () => ({
      kind: 'module',
      cls: 'StochasticDepth',
      args: [
        { from: { attr: 'p' }, type: 'float' },
        { from: { attr: 'batch', map: [[true, 'batch'], [false, 'row']] }, type: 'str' },
      ],
    }),
    helpers: {
      StochasticDepth: `class StochasticDepth(nn.Module):
    """Stochastic depth (torchvision.ops.StochasticDepth): in train(), the
    input of a sample ("row") or of the whole batch ("batch") is zeroed with
    probability p and the rest scaled by 1 / (1 - p); in eval(), the identity.
    """

    def __init__(self, p, mode):
        super().__init__()
        self.p = p
        self.mode = mode

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        survival = 1.0 - self.p
        if self.mode == "row":
            size = [x.shape[0]] + [1] * (x.ndim - 1)
        else:
            size = [1] * x.ndim
        noise = torch.empty(size, dtype=x.dtype, device=x.device)
        noise = noise.bernoulli_(survival)
        if survival > 0.0:
            noise.div_(survival)
        return x * noise

    def extra_repr(self):
        return f"p={self.p}, mode={self.mode}"
`,
    },
  },
};
