/**
 * The language's constructs through the PyTorch backend, on small networks of this file: a
 * block's conditions (flags in forward, conditional items of a sequence taking the next index),
 * layers passed as values, squeeze-and-excitation's product, `with first` and template labels in
 * a block's repetition and at the network's level, several outputs, the three shortcut policies
 * (in a block and compile-wide), parameters named like Python's keywords, dropout and stochastic
 * depth (acting in train(), the identity in eval()). Each network is emitted and checked as the
 * examples are (parity.test.ts: state_dict against the ONNX weights, eval() output against
 * onnxruntime), and the code is checked for the construct's form. Then what the backend cannot
 * write: a clear E0901 at the construct.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/diagnostics/render.js';
import { compileFile } from '../../src/node/compile.js';
import { nodeHost } from '../../src/node/host.js';
import { encodeModel } from '../../src/onnx/write.js';
import type { ShortcutPolicy } from '../../src/passes/pass.js';
import { emitPyTorch } from '../../src/pytorch/index.js';
import { describeWithTorch, npy, relativeError } from '../helpers/torch-fixtures.js';
import { runDriver, type DriverReport } from './helpers.js';

const blocks = `use std/se
use std/resnet

# conditions at the block's level and in a sequence, a layer as a value, a product, a condition on an operand
block cblk(in, out, stride = 1, expand = true, act = relu, sd = 0.0, residual = stride == 1 and in == out) {
  <
    seq: <<conv1(2 * in); bn; act> if expand; <dwconv3(stride = stride); bn; act>; conv1(out); bn>
    squeeze_excitation(squeeze = max(1, out // 4), act = act) if out > 8
    stochastic_depth(sd) if residual
  > + identity if residual
  post: relu if not residual
}

# a stage: a template label and with first in a block's repetition
block stage(in, out, n, idx, stride = 2) {
  "u{idx}-{j}": cblk(out = out, act = hardswish) x n as j with first(stride = stride)
}

# parameters and a label named like Python's keywords and builtins
block kw(in, lambda = 2, class = 1, self = 3, max = 0) {
  conv3(lambda * in + class - 1 + max); bn
  relu if self > 2
  pass: conv1(in)
}
`;

interface Case {
  name: string;
  body: string;
  policy?: ShortcutPolicy;
  /** Text the emitted file must hold. */
  holds: RegExp[];
  modes?: boolean;
}

const cases: Case[] = [
  {
    name: 'conds',
    body: `network conds {
  input image: f32[N, 3, 16, 16]
  conv3(8); bn; relu
  s: <cblk(8); cblk(16, stride = 2, expand = false, act = hardswish); cblk(16, sd = 0.5); cblk(16, expand = false)>
  gap; flatten; fc(5)
  output logits
}`,
    holds: [
      /self\.residual = residual/,
      /if self\.residual:\n\s+out = self\.stochastic_depth\(out\)\n\s+out = out \+ x/,
      /if expand:\n\s+layers\.append\(/,
      /self\.use_squeeze_excitation1 = out > 8/,
      /if out > 8:\n\s+self\.squeeze_excitation1 = SqueezeExcitation\(\s*out, max\(1, out \/\/ 4\), act=act\s*\)/,
      /nn\.Conv2d\(\s*2 \* in_channels if expand else in_channels,/,
      /act\(\)/,
      /return x \* gate|out = x \* gate/,
      /cblk\(|Cblk\(8, 16, stride=2, expand=False, act=nn\.Hardswish\)/,
    ],
    modes: true,
  },
  {
    name: 'loops',
    body: `network loops {
  input image: f32[N, 3, 16, 16]
  conv3(8); bn; relu
  "top-{i}": stage(out = 8 * (i + 1), n = 2, idx = i) x 2 as i
  gap; flatten; fc(4)
}`,
    holds: [/class Stage\(nn\.Sequential\)/, /for j in range\(n\):/, /f"u\{idx\}-\{j\}"/, /in_channels if j == 0 else out/, /stride=stride if j == 0 else 1/, /self\.add_module\("top-0", Stage\(/, /getattr\(self, "top-1"\)\(x\)/],
  },
  {
    name: 'outs',
    body: `network outs {
  input img: f32[N, 3, 8, 8]
  stem: <conv3(4); bn; relu>
  output feats = stem
  conv3(6, stride = 2); relu
  gap; flatten
  head: <dropout(0.5); fc(3)>
  output logits
}`,
    holds: [/feats = x\n/, /return feats, x\n/],
    modes: true,
  },
  {
    name: 'shortcuts',
    body: `network shortcuts {
  input image: f32[N, 3, 16, 16]
  conv3(8); bn; relu
  a: basic(8, policy = A)
  b: basic(16, stride = 2, policy = A)
  c: basic(16, policy = C)
  d: basic(32, stride = 2)
  e: kw(lambda = 1, class = 2)
  gap; flatten; fc(3)
}`,
    holds: [
      /SHORTCUT_POLICY = "B"/,
      /Basic\(8, 16, stride=2, policy="A"\)/,
      /policy="C"/,
      /Kw\(32, lambda_=1, class_=2\)/,
      /def __init__\(self, in_channels, lambda_=2, class_=1, self_=3, max_=0\)/,
      /self\.add_module\(\s*"pass",\s*nn\.Conv2d\(/,
      /= getattr\(self, "pass"\)\(out\)|= getattr\(self, "pass"\)\(x\)/,
    ],
  },
  {
    name: 'shortcuts',
    body: '',
    policy: 'C',
    holds: [/SHORTCUT_POLICY = "C"/],
  },
  {
    name: 'shortcuts',
    body: '',
    policy: 'A',
    holds: [/SHORTCUT_POLICY = "A"/],
  },
];

const source = `${blocks}\n${cases.map((c) => c.body).filter(Boolean).join('\n\n')}\n`;

describeWithTorch('the language through the PyTorch backend', () => {
  let work = '';
  let reports = new Map<string, DriverReport>();
  const dirOf = (c: Case, i: number) => path.join(work, `${i}-${c.name}-${c.policy ?? 'B'}`);
  const texts = new Map<number, string>();

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-pytorch-language-'));
    fs.writeFileSync(path.join(work, 'nets.resdsl'), source);
    const jobs = cases.map((c, i) => {
      const r = emitPyTorch(path.join(work, 'nets.resdsl'), { host: nodeHost, shortcut: c.policy ?? 'B', network: c.name });
      if (!r.ok) throw new Error(renderText(r.diagnostics, r.sources));
      const dir = dirOf(c, i);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'model.py'), r.text);
      texts.set(i, r.text);
      const shape = r.graph.inputs[0]!.type.shape;
      return { module: path.join(dir, 'model.py'), cls: r.className, dir, tasks: ['keys', 'parity', ...(c.modes ? (['modes'] as const) : [])] as ('keys' | 'parity' | 'modes')[], seed: 7 + i, input: [2, ...shape.slice(1).map(Number)] };
    });
    reports = runDriver(jobs, work);
  }, 300_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  cases.forEach((c, i) => {
    it(`${c.name}${c.policy ? ` (--shortcut ${c.policy})` : ''}: the module's state_dict and eval() output are our ONNX's`, async () => {
      const dir = dirOf(c, i);
      const text = texts.get(i)!;
      for (const re of c.holds) expect(text).toMatch(re);
      const compiled = compileFile(path.join(work, 'nets.resdsl'), { network: c.name, shortcut: c.policy ?? 'B', weights: path.join(dir, 'weights.safetensors'), fuse: false });
      if (!compiled.ok) throw new Error(renderText(compiled.diagnostics, compiled.sources));
      const weights = compiled.model.initializers.filter((t) => t.dataType === 'float32' && t.dims.length > 0).map((t) => [t.name, t.dims] as const);
      expect(new Map(weights)).toEqual(new Map(reports.get(dir)!.keys!));
      // every output, in order
      const session = await ort.InferenceSession.create(encodeModel(compiled.model).model);
      try {
        const x = npy(path.join(dir, 'input.npy'));
        const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x.data, x.dims) });
        session.outputNames.forEach((name, k) => {
          const y = out[name]!;
          expect(relativeError({ dims: [...y.dims], data: y.data as Float32Array }, npy(path.join(dir, `output${k || ''}.npy`)))).toBeLessThan(1e-4);
        });
      } finally {
        await session.release();
      }
      if (c.modes) expect(reports.get(dir)!.modes).toEqual({ train_differs: true, eval_same: true });
    });
  });
});

describe('what the PyTorch backend cannot write', () => {
  const emit = (text: string) => {
    const r = emitPyTorch('t.resdsl', { host: nodeHost, shortcut: 'B', text });
    expect(r.ok).toBe(false);
    return renderText(r.diagnostics, r.sources);
  };
  const net = (body: string) => `network n {\n  input img: f32[N, 3, 8, 8]\n${body}\n}\n`;

  it('X if c else Y in a block, at the condition', () => {
    const out = emit(`block b(out, big = false) {\n  conv3(out) if big else conv1(out)\n}\n${net('  b(4)\n  b(4, big = true)')}`);
    expect(out).toContain('error[E0901]: the PyTorch backend cannot write `X if c else Y` in a block yet');
    expect(out).toContain('t.resdsl:2:');
  });

  it('a layer named like an attribute of every nn.Module, at its label', () => {
    const out = emit(`block b(out) {\n  conv3(out)\n  train: relu\n}\n${net('  b(4)')}`);
    expect(out).toContain('error[E0901]: the PyTorch backend cannot name a layer train: every torch.nn.Module has an attribute of that name, which would hide the layer');
    expect(out).toContain('t.resdsl:3:3');
    expect(out).toContain('= help: label it otherwise');
  });

  it('an unlabelled repetition in a block, at the repetition', () => {
    const out = emit(`block b(out) {\n  relu x 2\n}\n${net('  b(4)')}`);
    expect(out).toContain('error[E0901]: the PyTorch backend cannot name the items of an unlabelled repetition inside a block');
    expect(out).toContain('label it');
  });

  it('a value that differs between uses and that no expression of the spec gives, at the layer', () => {
    // fc's input is 4 x 8 x 8 in one use of head and 4 x 4 x 4 in the other
    const out = emit(`block head(classes) {\n  flatten; fc(classes)\n}\n${net('  conv3(4)\n  a: head(2) + b: <conv3(4, stride = 2); head(2)>')}`);
    expect(out).toContain("error[E0901]: the PyTorch backend cannot write an argument of fc (its input size) as an expression of the block's parameters: it is 256, 64 in different uses");
    expect(out).toContain('t.resdsl:2:12');
    expect(out).toContain('= help: write the value as an argument of the block');
  });
});
