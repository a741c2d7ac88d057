/**
 * prepare() for a command-line run, lean on memory. A model read from a file exists three times
 * at once when prepare() starts: the file's bytes (dead once decoded, but not yet collected: the
 * garbage collector sees little reason to run), the decoded weights, and the executor's packed
 * copy it is about to make. prepareLean collects the garbage first (the file's bytes go), and with
 * `takeWeights` takes the model's weights, collecting again each time another 4 MiB of them has
 * been packed and dropped: the peak is then about one copy of the weights fewer (ConvNeXt-T:
 * about 310 MiB instead of 450, most of it now while the file is decoded). Not done by prepare()
 * itself: a library should not pause its caller for collections it did not ask for, nor take its
 * weights unless asked to. The collections are the host's (host.ts: Node's gc()); a host without
 * one (a browser) gets plain prepare().
 */
import type { OnnxModel } from '../../onnx/model.js';
import type { Result } from '../../onnx/read.js';
import { prepare, type Plan, type PrepareOptions } from './plan.js';

/** Bytes of weights below which a collection (a few milliseconds) is not worth its pause. */
const worthCollecting = 4 << 20;

/** Collects through `options.host` (host.ts); a host that cannot collect makes this prepare(). */
export function prepareLean(model: OnnxModel, options: Omit<PrepareOptions, 'released'> = {}): Result<Plan> {
  const bytes = model.initializers.reduce((s, t) => s + t.data.byteLength, 0);
  const collect = options.host?.collectGarbage?.bind(options.host);
  if (bytes < worthCollecting || collect === undefined) return prepare(model, options);
  collect();
  let dropped = 0;
  const released = (n: number) => {
    dropped += n;
    if (dropped < worthCollecting) return;
    dropped = 0;
    collect();
  };
  return prepare(model, { ...options, released });
}
