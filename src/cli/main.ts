/**
 * The `resdsl` command: dispatch to the commands (commands.ts), with help for every one. Exit
 * codes: 0 clean, 1 diagnostics or a failed run, 2 usage error, 70 internal error (a compiler bug,
 * reported in one line unless --debug).
 */
import { existsSync } from 'node:fs';
import { closest } from '../ir/elaborate/suggest.js';
import { version } from '../version.js';
import { commands } from './commands.js';
import { commandHelp, topHelp } from './help.js';
import { CliError, exitCodes, processIo, UsageError, type Io } from './io.js';
import { asksForHelp, parseCommand } from './parse.js';

function unknownCommand(cmd: string): UsageError {
  if (cmd.startsWith('-')) return new UsageError(`unknown option ${cmd}; see resdsl --help`);
  const near = closest(cmd, commands.keys());
  return new UsageError(`unknown command ${cmd}; ${near ? `a similar command exists: ${near}` : `the commands are ${[...commands.keys()].join(', ')}`}`);
}

export async function main(argv: string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [cmd, ...rest] = args;
  try {
    if (cmd === undefined) {
      io.err(topHelp(commands));
      return exitCodes.usage;
    }
    if (cmd === '--help' || cmd === '-h') {
      io.out(topHelp(commands));
      return exitCodes.ok;
    }
    if (cmd === '--version' || cmd === '-V') {
      io.out(version);
      return exitCodes.ok;
    }
    const command = commands.get(cmd);
    if (!command) throw unknownCommand(cmd);
    if (asksForHelp(rest)) {
      io.out(commandHelp(command.spec));
      return exitCodes.ok;
    }
    const parsed = parseCommand(command.spec, rest);
    return await (await command.load())(parsed, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`resdsl: ${e.message}`);
      return exitCodes.usage;
    }
    if (e instanceof CliError) {
      io.err(`resdsl: ${e.message}`);
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
