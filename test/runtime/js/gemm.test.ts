import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Arena } from '../../../src/runtime/js/arena.js';
import { Engine } from '../../../src/runtime/js/engine/engine.js';
import { matrixJob, type GemmJob } from '../../../src/runtime/js/gemm/job.js';
import { packA, packedASize } from '../../../src/runtime/js/gemm/pack.js';
import { randTensor, rng } from './helpers.js';
import { wasmFma } from '../../../src/runtime/js/wasm/kernel.js';
import { nodeExecutorHost } from '../../../src/node/executor-host.js';

const engines: Engine[] = [];
afterAll(() => Promise.all(engines.map((e) => e.dispose())));

interface Case {
  m: number;
  n: number;
  k: number;
  epilogue: boolean;
}

/** Runs C = A B (+ bias + R, ReLU) through the engine and with naive loops. */
function check(engine: Engine, arena: Arena, c: Case, seed: number): Float32Array {
  const r = rng(seed);
  const a = randTensor(r, [c.m, c.k]).data;
  const b = randTensor(r, [c.k, c.n]).data;
  const bias = randTensor(r, [c.m]).data;
  const res = randTensor(r, [c.m, c.n]).data;
  const want = new Float32Array(c.m * c.n);
  for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) {
    let s = 0;
    for (let p = 0; p < c.k; p++) s += a[i * c.k + p]! * b[p * c.n + j]!;
    want[i * c.n + j] = c.epilogue ? Math.max(0, s + bias[i]! + res[i * c.n + j]!) : s;
  }
  const ap = arena.alloc(packedASize(c.m, c.k));
  packA(a, 0, c.m, c.k, arena.f32(), arena.offsetOf(ap)!);
  const [bb, cc, biasA, resA] = [b, new Float32Array(c.m * c.n), bias, res].map((src) => {
    const t = arena.alloc(src.length);
    t.set(src);
    return t;
  }) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const job: GemmJob = matrixJob({ m: c.m, n: c.n, k: c.k, a: arena.offsetOf(ap)!, c: arena.offsetOf(cc)!, ldc: c.n, bOff: arena.offsetOf(bb)!, bLd: c.n });
  if (c.epilogue) Object.assign(job, { bias: arena.offsetOf(biasA)!, res: arena.offsetOf(resA)!, ldr: c.n, relu: 1 });
  engine.gemm(job);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(cc[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  expect(worst).toBeLessThan(1e-4);
  return cc.slice();
}

const cases: Case[] = [
  { m: 1, n: 1, k: 1, epilogue: false }, { m: 3, n: 7, k: 5, epilogue: true }, { m: 4, n: 8, k: 256, epilogue: true },
  { m: 130, n: 70, k: 300, epilogue: true }, { m: 37, n: 1030, k: 70, epilogue: false }, { m: 257, n: 9, k: 513, epilogue: true },
];

describe.each(['js', 'wasm'] as const)('GEMM with the %s kernel', (kernel) => {
  const arena = new Arena();
  const options = { kernel, fma: kernel === 'wasm' && wasmFma(nodeExecutorHost), host: nodeExecutorHost };
  const one = new Engine(arena, { threads: 1, ...options });
  const two = new Engine(arena, { threads: 2, ...options });
  engines.push(one, two);
  for (const [i, c] of cases.entries()) {
    it(`${c.m}x${c.k} by ${c.k}x${c.n}${c.epilogue ? ' with bias, residual and ReLU' : ''}, on one and two threads alike`, () => {
      const single = check(one, arena, c, i);
      expect(check(two, arena, c, i)).toEqual(single);
    });
  }
});

it('uses fused multiply-add when relaxed SIMD is available, with the same results', () => {
  const script = fileURLToPath(new URL('./fma-check.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { fma: boolean; worst: number };
  expect(out.fma).toBe(true);
  expect(out.worst).toBeLessThan(1e-5);
});
