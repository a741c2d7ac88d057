/** Checks a network's `expect` lines against its statistics and output types; each failure is a diagnostic at its line. */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import type { GraphStats } from './stats.js';
import { formatType, sameType, type IrGraph, type TensorType } from './types.js';

/** An `expect` line of a network: a parameter or MAC count, or an output's type. */
export type Expectation =
  | { what: 'params' | 'macs'; value: number; span: Span }
  | { what: 'output'; output?: string; type: TensorType; span: Span };

const fmt = (n: number) => n.toLocaleString('en-US');

export function checkExpectations(g: IrGraph, stats: Pick<GraphStats, 'params' | 'macs'>, expects: readonly Expectation[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of expects) {
    if (e.what !== 'output') {
      const actual = e.what === 'params' ? stats.params : stats.macs;
      if (actual !== e.value) {
        const diff = actual - e.value;
        out.push(
          error(e.what === 'params' ? 'E0301' : 'E0302', `network ${g.name} has ${fmt(actual)} ${e.what === 'params' ? 'parameters' : 'MACs'}, expected ${fmt(e.value)}`, e.span, {
            notes: [`the difference is ${diff > 0 ? '+' : ''}${fmt(diff)}`],
          }),
        );
      }
      continue;
    }
    const outp = e.output === undefined ? g.outputs[0] : g.outputs.find((o) => o.name === e.output);
    if (!outp) {
      out.push(error('E0116', `network ${g.name} has no output named ${e.output}`, e.span, { help: `its outputs are ${g.outputs.map((o) => o.name).join(', ')}` }));
      continue;
    }
    const t = g.types.get(outp.value)!;
    if (!sameType(t, e.type))
      out.push(error('E0303', `${g.outputs.length === 1 ? `the output of network ${g.name}` : `output ${outp.name} of network ${g.name}`} is ${formatType(t)}, expected ${formatType(e.type)}`, e.span));
  }
  return out;
}
