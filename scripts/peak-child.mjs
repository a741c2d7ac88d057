// Runs a node script (argv) in this process and, at exit, prints this process's peak resident
// memory (VmHWM from /proc, maxRSS elsewhere) to stderr, for benchmarks that measure a whole run,
// and on Linux the CPU time of its main thread alone (what a worker thread takes off it shows there;
// a busy machine stretches the wall time, not this).
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
  try {
    // utime and stime, fields 14 and 15 of the main thread's stat, in clock ticks (100 a second on Linux)
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    process.stderr.write(`main-thread-cpu-ms ${(Number(fields[11]) + Number(fields[12])) * 10}\n`);
    const all = process.cpuUsage();
    process.stderr.write(`process-cpu-ms ${Math.round((all.user + all.system) / 1000)}\n`);
  } catch {
    /* not Linux */
  }
});
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(script), ...args];
await import(pathToFileURL(path.resolve(script)).href);
