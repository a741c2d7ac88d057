// Runs a node script (argv) in this process and, at exit, prints this process's peak resident
// memory (VmHWM from /proc, maxRSS elsewhere) to stderr, for benchmarks that measure a whole run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

process.on('exit', () => {
  let peak = process.resourceUsage().maxRSS * 1024;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) peak = Number(m[1]) * 1024;
  } catch {
    /* not Linux: maxRSS it is */
  }
  process.stderr.write(`peak-rss-bytes ${peak}\n`);
});
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(script), ...args];
await import(pathToFileURL(path.resolve(script)).href);
