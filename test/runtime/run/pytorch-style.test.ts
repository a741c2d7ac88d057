/**
 * An ONNX file in the style of PyTorch's torch.onnx.export of a torchvision ResNet: numbered value
 * names, Identity nodes between layers (the exporter leaves dozens), Flatten + Gemm for the head,
 * batch norms kept. Built from our own unfused ResNet-18 by rewriting it, written to bytes, read
 * back and run by the JS executor and by onnxruntime-node: both must agree.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFile as compileNetwork } from '../../../src/node/compile.js';
import { dispose } from '../../../src/runtime/js/index.js';
import type { OnnxModel, OnnxNode } from '../../../src/onnx/model.js';
import { decodeModel } from '../../../src/onnx/read.js';
import { encodeModel } from '../../../src/onnx/write.js';
import { nodeExecutorOptions } from '../../../src/node/executor-host.js';
import { runModel } from '../../../src/runtime/run-model.js';
import { maxAbsDiff } from '../../compile/helpers.js';

afterAll(() => dispose());

/** Renames every intermediate value to a number and puts an Identity after every Relu, as the exporter's output looks. */
function pytorchStyle(m: OnnxModel): OnnxModel {
  const rename = new Map<string, string>();
  let next = 100;
  const keep = new Set([...m.inputs.map((i) => i.name), ...m.outputs.map((o) => o.name), ...m.initializers.map((t) => t.name)]);
  const nameOf = (v: string) => (keep.has(v) ? v : (rename.get(v) ?? (rename.set(v, `onnx::${next++}`), rename.get(v)!)));
  const nodes: OnnxNode[] = [];
  for (const n of m.nodes) {
    const out = n.outputs.map(nameOf);
    nodes.push({ ...n, name: `/${n.name.replace(/\./g, '/')}/${n.opType}`, inputs: n.inputs.map(nameOf), outputs: out, docString: '' });
    if (n.opType === 'Relu' && !keep.has(n.outputs[0]!)) {
      const id = `onnx::${next++}`;
      nodes.push({ name: `/Identity_${next}`, opType: 'Identity', domain: '', inputs: [out[0]!], outputs: [id], attrs: {} });
      rename.set(n.outputs[0]!, id);
    }
  }
  return { ...m, producerName: 'pytorch', producerVersion: '1.13', nodes, valueInfo: [] };
}

describe('a PyTorch-style export of ResNet-18', () => {
  it('is read back, run by the JS executor, and agrees with onnxruntime-node within 1e-4', async () => {
    const c = compileNetwork('examples/resnet18.resdsl', { fuse: false, seed: 3 });
    if (!c.ok) throw new Error('compile failed');
    const styled = pytorchStyle(c.model);
    expect(styled.nodes.filter((n) => n.opType === 'Identity').length).toBeGreaterThan(10);
    expect(styled.nodes.some((n) => n.opType === 'BatchNormalization')).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-pt-'));
    const file = path.join(dir, 'resnet18.onnx');
    let read: ReturnType<typeof decodeModel>;
    try {
      fs.writeFileSync(file, encodeModel(styled).model);
      read = decodeModel(fs.readFileSync(file));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (!read.ok) throw new Error(read.error.message);
    const x = { dims: [2, 3, 224, 224], data: new Float32Array(2 * 3 * 224 * 224).map((_, i) => Math.cos(i * 0.11)) };
    const js = await runModel(read.value, x, { runtime: 'js', threads: 1, repeat: 0, executor: nodeExecutorOptions() });
    const ort = await runModel(read.value, x, { runtime: 'ort', threads: 1, repeat: 0 });
    if (!js.ok || !ort.ok) throw new Error(`run failed: ${!js.ok ? js.error.message : ''} ${!ort.ok ? ort.error.message : ''}`);
    expect(js.value.outputs[0]!.tensor.dims).toEqual([2, 1000]);
    expect(maxAbsDiff(js.value.outputs[0]!.tensor, ort.value.outputs[0]!.tensor)).toBeLessThan(1e-4);
  });
});
