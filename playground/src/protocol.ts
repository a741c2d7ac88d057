/**
 * Messages between the page and its workers. The workers hold their own copy of the compiler core
 * and compile the page's source themselves, so that a seconds-long compile (seeding ResNet-152's
 * weights) or a run never freezes the editor.
 */
import type { Depth } from '../../src/graph/index.js';
import type { OutputSummary } from '../../src/report/outputs.js';
import type { Options } from './options.js';

/** What to compile: the edited file as the page holds it. */
export interface Job {
  file: string;
  text: string;
  options: Options;
  /** The network (`-n`); without it the file's only one. */
  network?: string;
}

/** Why a job produced nothing: the compiler's diagnostics rendered as the CLI prints them, or an internal error. */
export interface Failure {
  ok: false;
  message: string;
}

export interface OnnxDone {
  ok: true;
  network: string;
  /** The .onnx file, as `resdsl compile` writes it. */
  bytes: Uint8Array;
  nodes: number;
  initializers: number;
  opset: number;
  /** Op types and how many nodes have each, most frequent first. */
  ops: [string, number][];
  metadata: [string, string][];
  compileMs: number;
}

/** A picture job: `resdsl graph` at a depth. */
export interface GraphJob extends Job {
  depth: Depth;
}

export interface GraphDone {
  ok: true;
  network: string;
  /** The SVG text `resdsl graph FILE -o OUT.svg` writes. */
  svg: string;
  ms: number;
}

export interface RunDone {
  ok: true;
  network: string;
  /** Each output as `resdsl run` describes it. */
  outputs: OutputSummary[];
  inputShape: number[];
  /** The executor's threads. */
  threads: 1 | 2;
  /** Its kernels: WebAssembly SIMD, with relaxed SIMD's multiply-add or without, or plain JS. */
  kernel: 'wasm' | 'wasm-fma' | 'js';
  compileMs: number;
  /** prepare(), and the second thread's start. */
  prepareMs: number;
  /** The first run. */
  runMs: number;
  /** A second run of the same input. */
  warmRunMs: number;
}

export interface Request<J> {
  id: number;
  job: J;
}

export interface Reply<R> {
  id: number;
  result: R | Failure;
}
