/**
 * ONNX's own backend test cases (Debian's libonnx-testdata), run through read.ts and the JS
 * executor: every case whose operators are all supported must pass with the suite's tolerance
 * (rtol 1e-3, atol 1e-7), except cases excluded for a stated reason: non-float32 data, or a
 * feature the executor rejects on purpose (3-d windows, training mode), which must then be
 * rejected by prepare() with that message. Anything else fails the test.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepare, run, type Tensor, type Value } from '../../../src/runtime/js/index.js';
import { bindInt64Inputs, caseNames, loadCase, type DataSet } from './conformance-cases.js';
import type { OnnxModel } from '../../../src/onnx/model.js';

const dataRoot = process.env['ONNX_TESTDATA'] ?? '/usr/share/libonnx-testdata/data';
const suites = ['node', 'pytorch-converted', 'pytorch-operator', 'simple'];
/** Features rejected on purpose, as prepare() words them. */
const knownLimits = [/only 1-d and 2-d windows are supported/, /training_mode = 1 is not supported/, /the Indices output is not supported/];

function close(got: Value, want: Value): string | undefined {
  if (got.dims.join() !== want.dims.join()) return `shape [${got.dims}] instead of [${want.dims}]`;
  if (!(got.data instanceof Float32Array) || !(want.data instanceof Float32Array)) {
    if (got.data.constructor !== want.data.constructor) return `type ${got.data.constructor.name} instead of ${want.data.constructor.name}`;
    const differs = want.data.findIndex((w, i) => w !== got.data[i]);
    return differs < 0 ? undefined : `element ${differs} is ${got.data[differs]} instead of ${want.data[differs]}`;
  }
  for (let i = 0; i < want.data.length; i++) {
    const [g, w] = [got.data[i]!, want.data[i]!];
    if (Number.isNaN(w) ? !Number.isNaN(g) : !(Math.abs(g - w) <= 1e-7 + 1e-3 * Math.abs(w))) return `element ${i} is ${g} instead of ${w}`;
  }
  return undefined;
}

/** Undefined when the case passes, 'excluded: reason', or the failure. */
function runCase(model: OnnxModel, set: DataSet): string | undefined {
  const bound = bindInt64Inputs(model, set.inputs);
  const plan = prepare(bound.model);
  if (!plan.ok) {
    const msg = plan.error.message;
    return knownLimits.some((re) => re.test(msg)) ? `excluded: ${msg}` : `prepare failed: ${plan.error.code} ${msg}`;
  }
  const feeds = new Map<string, Tensor>();
  bound.model.inputs.forEach((v, i) => feeds.set(v.name, { dims: bound.inputs[i]!.dims, data: bound.inputs[i]!.data as Float32Array }));
  let out: Map<string, Value>;
  try {
    out = run(plan.value, feeds);
  } catch (e) {
    return `run failed: ${(e as Error).message}`;
  }
  for (const [i, v] of model.outputs.entries()) {
    const want = set.outputs[i]!;
    const problem = close(out.get(v.name)!, want.dataType === 'float32' ? { dims: want.dims, data: want.data as Float32Array } : { dims: want.dims, data: want.data as BigInt64Array });
    if (problem) return `output '${v.name}': ${problem}`;
  }
  return undefined;
}

describe('ONNX backend conformance', () => {
  if (!existsSync(`${dataRoot}/node`)) {
    const why = `ONNX test data not found under ${dataRoot} (apt-get install libonnx-testdata, or set ONNX_TESTDATA)`;
    if (process.env['CI'] === 'true') it('has the ONNX test data', () => expect.fail(why));
    else it.skip(why, () => {});
    return;
  }
  for (const suite of suites) {
    it(`passes every supported case of ${suite}`, () => {
      const root = `${dataRoot}/${suite}`;
      let total = 0;
      let passed = 0;
      const excluded: string[] = [];
      const failures: string[] = [];
      for (const name of caseNames(root)) {
        const c = loadCase(root, name);
        if (c.kind === 'unsupported-op') continue;
        total++;
        if (c.kind === 'excluded') {
          excluded.push(`${name}: ${c.reason}`);
          continue;
        }
        const results = c.sets.map((s) => runCase(c.model, s));
        const bad = results.find((r) => r !== undefined);
        if (bad === undefined) passed++;
        else if (bad.startsWith('excluded: ')) excluded.push(`${name}: ${bad.slice(10)}`);
        else failures.push(`${name}: ${bad}`);
      }
      const title = suite === 'node' ? 'conformance' : `conformance (${suite})`;
      console.log(`${title}: ${passed} passed of ${total} (${excluded.length} excluded)${excluded.map((e) => `\n  excluded ${e}`).join('')}`);
      expect(failures).toEqual([]);
      expect(passed + excluded.length).toBe(total);
      expect(passed).toBeGreaterThan(0);
    });
  }
});
