/**
 * Shared by the hostile-file tests: a small network and its state_dict, a temporary folder, and
 * the shape of a clear failure: exit 1 (2 for a refused command line), the error first on stderr,
 * no stack trace, no "internal error", quickly (a hang or an allocation of a claimed size would
 * show as time or a crash).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { checkFile as frontEnd } from '../../src/node/compile.js';
import { writeSafetensors, type TensorToWrite } from '../../src/io/safetensors.js';
import { contractProblems, describeOutcome, inProcess, type Outcome } from '../fuzz/harness.js';

export { inProcess as cli };

export const NET = `network small {
  input img: f32[N, 3, 8, 8]
  conv3(4); bn; relu
  <conv3(4); bn> + shortcut
  gap; flatten; fc(5)
  output logits
}
`;

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `resdsl-${prefix}-`));
}

export function writeNet(dir: string, text = NET): string {
  const f = path.join(dir, 'small.resdsl');
  fs.writeFileSync(f, text);
  return f;
}

/** The network's parameters (the names and shapes a state_dict must have), filled with `fill`. */
export function stateDict(fill = 0.5): Map<string, TensorToWrite> {
  const net = frontEnd('small.resdsl', { text: NET, single: true }).networks[0]!;
  return new Map([...net.graph.params].map(([k, p]) => [k, { shape: p.shape, data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)).fill(fill) }]));
}

export function safetensors(tensors: Map<string, TensorToWrite> = stateDict()): Uint8Array {
  return writeSafetensors(tensors);
}

/** A safetensors file with this header (as JSON, or a string as it is), header length (default: the header's) and data bytes. */
export function rawSafetensors(header: unknown, dataBytes: number, headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

/** A failure the user can act on: exit 1 (or 2 when `usage`), the reason first, matching `first`. */
export function expectClearError(o: Outcome, first: RegExp, exit = 1): void {
  const why = describeOutcome(o);
  expect(o.code, why).toBe(exit);
  expect(contractProblems(o, 10_000).filter((p) => !p.includes('exit code 2')), why).toEqual([]);
  expect(o.err.split('\n')[0], why).toMatch(first);
}

/** Files in `dir` other than `keep`: temporary or partial files a failed command left. */
export function leftovers(dir: string, keep: readonly string[]): string[] {
  return fs.readdirSync(dir).filter((f) => !keep.includes(f));
}
