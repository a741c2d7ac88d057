/**
 * Vitest global setup: the PyTorch reference fixtures are made once, before any test starts
 * (scripts/torch/make_fixtures.py, all stale models in one process), so that no test waits for
 * torch inside its own time limit; on a fresh clone this takes about a minute (the export of
 * convnext_tiny is most of it). Without torch nothing is made here: describeWithTorch skips its
 * tests with the reason, or fails them in CI.
 */
import { spawnSync } from 'node:child_process';
import { fixtureRoot, fixtureScript, python, torchMissing, torchModels, torchStale } from '../helpers/torch-fixtures.js';

export default function setup(): void {
  if (torchMissing() !== undefined) return;
  const stale = torchModels.filter(torchStale);
  if (stale.length === 0) return;
  process.stderr.write(`making the PyTorch fixtures of ${stale.join(', ')} (once; in ${fixtureRoot})\n`);
  const r = spawnSync(python, [fixtureScript, '--out', fixtureRoot, ...stale], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  // a failure here is reported again, with its model, by the first test that asks for the fixture
  if (r.status !== 0) process.stderr.write(`make_fixtures.py failed (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}\n`);
}
