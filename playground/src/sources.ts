/**
 * The sources the playground bundles: every example of examples/ and the standard library of
 * std/, as text, and the compiler's SourceHost over them (program/host.ts's memoryHost). Files
 * keep the names the CLI gives them when run from the repository's root (`examples/resnet50.resdsl`,
 * `std/resnet.resdsl`): the names are part of the ONNX model's source hash, so the page's model is
 * byte-identical to `resdsl compile examples/resnet50.resdsl`'s.
 */
import { memoryHost, type SourceHost } from '../../src/program/host.js';

const exampleFiles = import.meta.glob<string>('../../examples/*.resdsl', { query: '?raw', import: 'default', eager: true });
const stdFiles = import.meta.glob<string>('../../std/*.resdsl', { query: '?raw', import: 'default', eager: true });

/** `../../examples/resnet50.resdsl` -> `resnet50`. */
const stem = (path: string) => path.slice(path.lastIndexOf('/') + 1, -'.resdsl'.length);

/** The examples by name (`resnet50`), sorted. */
export const examples: ReadonlyMap<string, string> = new Map(
  Object.keys(exampleFiles)
    .sort()
    .map((p) => [stem(p), exampleFiles[p]!]),
);

/** The standard library's modules by name (`resnet` for `use std/resnet`). */
export const stdModules: ReadonlyMap<string, string> = new Map(Object.keys(stdFiles).map((p) => [stem(p), stdFiles[p]!]));

/** The file name of an example, as the CLI names it from the repository's root. */
export const exampleFile = (name: string) => `examples/${name}.resdsl`;

/**
 * The host: the examples at their paths (so a relative `use` between them resolves as on disk)
 * and std. The file being edited is handed to the pipeline as text, so its edits win over the
 * bundled copy of the same name.
 */
export const host: SourceHost = memoryHost(new Map([...examples].map(([name, text]) => [exampleFile(name), text])), stdModules);
