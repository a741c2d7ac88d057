/**
 * The `resdsl` command: dispatch to the commands. Exit codes: 0 clean, 1 diagnostics or a failed
 * run, 2 usage error, 70 internal error (a compiler bug, reported in one line unless --debug).
 */
import { existsSync } from 'node:fs';
import { version } from '../version.js';
import { CliError, exitCodes, processIo, UsageError, type Io } from './io.js';
import { checkUsage, compileUsage, runUsage, summaryUsage } from './usage.js';

const help = `resdsl ${version}: a compiler for residual network specs

${checkUsage}
${summaryUsage}
${compileUsage}
${runUsage}
       resdsl --version | --help

Add --debug to any command to see the stack trace of an internal error.`;

type Command = (argv: string[], io: Io) => number | Promise<number>;
/** Each command is loaded on use, so that `check` does not pay for the executor or onnxruntime. */
const commands: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./check.js')).checkCommand,
  summary: async () => (await import('./summary.js')).summaryCommand,
  compile: async () => (await import('./compile.js')).compileCommand,
  run: async () => (await import('./run.js')).runCommand,
};

export async function main(argv: string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [cmd, ...rest] = args;
  try {
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.out(help);
      return cmd === undefined ? exitCodes.usage : exitCodes.ok;
    }
    if (cmd === '--version' || cmd === '-V') {
      io.out(version);
      return exitCodes.ok;
    }
    const load = commands[cmd];
    if (!load) throw new UsageError(`unknown command ${cmd}; the commands are ${Object.keys(commands).join(', ')}`);
    return await (await load())(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`resdsl: ${e.message}`);
      return exitCodes.usage;
    }
    if (e instanceof CliError) {
      io.err(e.message.startsWith('resdsl') ? e.message : `resdsl: ${e.message}`);
      return e.exitCode;
    }
    // the input: a file named by its extension, else the first argument that exists (a folder to check)
    const where = args.find((a) => /\.(resdsl|onnx|safetensors|npy)$/.test(a)) ?? rest.find((a) => !a.startsWith('-') && existsSync(a));
    const what = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    io.err(`resdsl: internal error (a compiler bug)${where ? ` while processing ${where}` : ''}: ${what}`);
    if (debug && e instanceof Error && e.stack) io.err(e.stack);
    return exitCodes.internal;
  }
}

export async function runCli(): Promise<void> {
  const code = await main(process.argv.slice(2), processIo());
  process.exitCode = code;
}
