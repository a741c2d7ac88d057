/**
 * The files an ONNX model keeps its tensors in (external data), read for onnx/read.ts: only regular
 * files (a pipe or a device could block or never end) inside the model's folder (a model names
 * no file outside it), and only the bytes asked for.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ExternalFiles, ReadOptions } from '../onnx/read.js';

/** External data of a model in `dir`. */
export function externalFiles(dir: string): ExternalFiles {
  const base = resolve(dir);
  return {
    read(location, offset, length, tensor) {
      const path = resolve(base, location);
      const rel = relative(base, path);
      if (isAbsolute(location) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) return `tensor '${tensor}' names external file '${location}' outside the model's directory`;
      let regular = false;
      try {
        regular = statSync(path).isFile();
      } catch {
        /* missing: reported by the open below */
      }
      if (!regular && existsSync(path)) return `tensor '${tensor}' names external data '${location}', which is not a regular file`;
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch {
        return `cannot open external data file '${location}' of tensor '${tensor}'`;
      }
      try {
        const size = fstatSync(fd).size;
        if (offset + length > size) return `external data of tensor '${tensor}' ends at byte ${offset + length} but '${location}' has ${size}`;
        const out = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const n = readSync(fd, out, done, length - done, offset + done);
          if (n <= 0) return `external data file '${location}' ended early`;
          done += n;
        }
        return out;
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Read options for a model file at `file`: its external data beside it. */
export function modelFileOptions(file: string): ReadOptions {
  return { external: externalFiles(dirname(file)) };
}
