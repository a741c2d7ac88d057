/**
 * prepare() for a command-line run, lean on memory. A model read from a file exists three times
 * at once when prepare() starts: the file's bytes (dead once decoded, but not yet collected: the
 * garbage collector sees little reason to run), the decoded weights, and the executor's packed
 * copy it is about to make. For a model of many megabytes, a full collection first lowers the
 * peak by the file's size (ConvNeXt-T: from about 450 to about 340 MiB). Not done by prepare()
 * itself: a library should not pause its caller for a collection it did not ask for.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { OnnxModel } from '../../onnx/model.js';
import type { Result } from '../../onnx/read.js';
import { prepare, type Plan, type PrepareOptions } from './plan.js';

/** Weights below which a collection is not worth its pause. */
const worthCollecting = 32 << 20;

let gc: (() => void) | undefined;

/** Node's gc(), which --expose-gc would give; the flag is read when a context is created. */
function collector(): () => void {
  if (gc === undefined) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  return gc;
}

export function prepareLean(model: OnnxModel, options: PrepareOptions = {}): Result<Plan> {
  const bytes = model.initializers.reduce((s, t) => s + t.data.byteLength, 0);
  if (bytes >= worthCollecting) collector()();
  return prepare(model, options);
}
