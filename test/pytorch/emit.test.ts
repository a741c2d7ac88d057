/**
 * The emitted file of every example network, at the network's own input size, as text: it
 * imports only torch; its lines fit PEP 8's 79 columns, without tabs or trailing spaces; every
 * block's class names the block's source location; `python3 -m py_compile` accepts it; and, for
 * the networks parity.test.ts runs at 64 x 64, it is the same file as at 64 x 64 but for the
 * input shapes it mentions, so that the parity shown there holds for this file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/node/host.js';
import { emitPyTorch } from '../../src/pytorch/index.js';
import { describeWithTorch, python } from '../helpers/torch-fixtures.js';
import { exampleNetworks, networkGraph, withInputSize } from './helpers.js';

const nets = exampleNetworks();
const texts = new Map<string, string>();
const emit = (file: string, network: string, text?: string) => {
  const r = emitPyTorch(file, { host: nodeHost, shortcut: 'B', network, ...(text !== undefined ? { text } : {}) });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return r.text;
};

describe('emitted PyTorch files', () => {
  for (const net of nets) {
    it(`${net.network}: imports only torch, fits 79 columns, locates every block, and is the file parity.test.ts runs`, () => {
      const text = emit(net.file, net.network);
      texts.set(net.network, text);
      const lines = text.split('\n');
      for (const l of lines.filter((x) => /^\s*(import|from)\s/.test(x))) expect(l).toMatch(/^(import torch|from torch import nn)$/);
      expect(lines.filter((l) => l.length > 79)).toEqual([]);
      expect(lines.filter((l) => /\s$|\t/.test(l))).toEqual([]);
      // each block's class: a docstring naming the block and where it is written
      const blocks = [...text.matchAll(/^class (\w+)\(nn\.(Module|Sequential)\):\n {4}"""([\s\S]*?)"""/gm)];
      expect(blocks.length).toBeGreaterThan(0);
      for (const b of blocks.slice(0, -1)) if (!['StochasticDepth', 'LayerNorm2d', 'Permute', 'PadChannels'].includes(b[1]!)) expect(b[3]).toMatch(/From `block \w+[\s\S]*?`,\s+[\w/.]+\.resdsl:\d+\./);
      const size = networkGraph(net).inputs[0]!.type.shape[2] as number;
      if (size > 64) {
        const small = emit(net.file, net.network, withInputSize(net, 64));
        const shapes = (t: string) => t.replace(/\[N, (\d+), \d+, \d+\]/g, '[N, $1, H, W]');
        expect(shapes(small)).toBe(shapes(text));
      }
    });
  }
});

describeWithTorch('emitted PyTorch files in Python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-pytorch-emit-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('py_compile accepts every one', () => {
    const files = nets.map((net) => {
      const f = path.join(dir, `${net.network}.py`);
      fs.writeFileSync(f, texts.get(net.network) ?? emit(net.file, net.network));
      return f;
    });
    const r = spawnSync(python, ['-m', 'py_compile', ...files], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
