/** The rows of test/fixtures/reference/zoo-modern.tsv: model, input type, parameter and MAC counts. */
import * as fs from 'node:fs';

const tsv = fs.readFileSync(new URL('../fixtures/reference/zoo-modern.tsv', import.meta.url), 'utf8');

export const modern = tsv
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'))
  .map(([model, input, params, macs]) => ({ model: model!, input: input!, params: Number(params), macs: Number(macs) }));
