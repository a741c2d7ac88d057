/**
 * The fuzz inputs shared by the tests and `npm run fuzz`: the mutation bases (the examples and
 * std/resnet), which of them compile fast enough to compile in the tests, and random command flags.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { ExerciseOptions } from './exercise.js';

export interface Base {
  file: string;
  text: string;
  /** Compiles in well under a second (the ImageNet ResNets take one to three). */
  small: boolean;
}

export function loadBases(root = '.'): Base[] {
  const files = [
    ...fs
      .readdirSync(path.join(root, 'examples'))
      .filter((f) => f.endsWith('.resdsl'))
      .sort()
      .map((f) => path.join('examples', f)),
    path.join('std', 'resnet.resdsl'),
  ];
  return files.map((file) => ({
    file,
    text: fs.readFileSync(path.join(root, file), 'utf8'),
    small: !/resnet(18|34|50|101|152)\.|wide_|resnext|1202/.test(file),
  }));
}

/** Options for one input's commands: the shortcut policy and compile's flags, at random. */
export const flagsArb: fc.Arbitrary<Pick<ExerciseOptions, 'shortcut' | 'compileFlags'>> = fc.record({
  shortcut: fc.constantFrom(undefined, 'A' as const, 'B' as const, 'C' as const),
  compileFlags: fc
    .subarray(['--no-fuse', '--verify', '--opset=13', '--seed=7', '--opset=16'])
    .filter((fs) => fs.filter((f) => f.startsWith('--opset')).length <= 1),
}).map((r) => (r.shortcut === undefined ? { compileFlags: r.compileFlags } : { shortcut: r.shortcut, compileFlags: r.compileFlags }));
