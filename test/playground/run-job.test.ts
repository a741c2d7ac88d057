/**
 * The run pane's job (playground/src/run-job.ts: compile, the seeded input, the JS executor on one
 * thread, the output description) run here in Node, against the real `resdsl run --random --seed N
 * --json` of the same file: the same numbers, on one thread and on two (Node's host here; the
 * browser test runs the same job in a Web Worker, with a nested one as the second thread).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../../playground/src/options.js';
import { runJob } from '../../playground/src/run-job.js';
import { nodeExecutorHost } from '../../src/node/executor-host.js';

const repo = path.resolve(new URL('../..', import.meta.url).pathname);
const run = promisify(execFile);

async function cliRun(file: string, seed: number): Promise<unknown> {
  const r = await run(process.execPath, [path.join(repo, 'bin/resdsl.js'), 'run', file, '--random', '--seed', String(seed), '--json'], { cwd: repo });
  return (JSON.parse(r.stdout) as { outputs: unknown }).outputs;
}

describe("the run pane's job", () => {
  it.each([
    [0, 1],
    [7, 2],
  ] as const)('gives the output stats of resdsl run for CIFAR ResNet-20, seed %i, on %i thread(s)', async (seed, threads) => {
    const file = 'examples/cifar_resnet20.resdsl';
    const [job, cli] = await Promise.all([
      runJob({ file, text: fs.readFileSync(path.join(repo, file), 'utf8'), options: { ...defaultOptions, seed } }, { threads, host: nodeExecutorHost }),
      cliRun(file, seed),
    ]);
    if (!job.ok) throw new Error(job.message);
    expect(job.threads).toBe(threads);
    expect(job.kernel).toBe('wasm-fma');
    expect(job.inputShape).toEqual([1, 3, 32, 32]);
    expect(job.outputs).toEqual(cli);
  });

  it('answers a source with errors with the rendered diagnostics', async () => {
    const r = await runJob({ file: 'bad.resdsl', text: 'network n {\n  input image: f32[N, 3, 8, 8]\n  conv3(4, strid = 2)\n}\n', options: defaultOptions });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('error[E0104]: conv3 has no argument named strid');
  });
});
