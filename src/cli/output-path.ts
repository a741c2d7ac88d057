/** Checks on an output path: not one of the inputs (no silent overwrite of a source), not a folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './io.js';

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

export function checkOutputPath(out: string, inputs: readonly (string | undefined)[]): void {
  const o = real(out);
  for (const i of inputs) if (i !== undefined && real(i) === o) throw new UsageError(`the output ${out} is also an input; choose another output path`);
  try {
    if (fs.statSync(out).isDirectory()) throw new UsageError(`the output ${out} is a folder; give a file path`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
}
