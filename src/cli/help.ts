/**
 * The help texts, made from the declarations (options.ts, commands.ts): the top-level help lists
 * the commands with a sentence each; a command's help has its usage line, every option with its
 * explanation and default, and examples. `resdsl help [COMMAND]` prints them.
 */
import { version } from '../version.js';
import { UsageError, type Io } from './io.js';
import { debugOption, optionNames, type CommandSpec, type CommandTable, type OptionSpec } from './options.js';
import type { Parsed } from './parse.js';

const WIDTH = 100;

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else {
      line = line === '' ? w : `${line} ${w}`;
    }
  }
  return [...lines, line];
}

/** Two columns: `left` padded, `right` wrapped at WIDTH under itself; a long `left` gets a line of its own. */
function columns(rows: readonly (readonly [string, string])[], indent = 2): string[] {
  const pad = Math.min(28, Math.max(...rows.map(([l]) => l.length)) + 2);
  const out: string[] = [];
  for (const [left, right] of rows) {
    const lines = wrap(right, WIDTH - indent - pad).map((l) => ' '.repeat(indent + pad) + l);
    if (left.length + 2 > pad) out.push(' '.repeat(indent) + left);
    else lines[0] = ' '.repeat(indent) + left.padEnd(pad) + lines[0]!.trimStart();
    out.push(...lines);
  }
  return out;
}

function optionLeft(o: OptionSpec): string {
  return o.value ? `${optionNames(o)} ${o.value}` : optionNames(o);
}

function optionRight(o: OptionSpec): string {
  const values = o.choices && o.value && !o.choices.every((c) => o.help.includes(c)) ? ` (${o.value}: ${o.choices.join(', ')})` : '';
  return `${o.help}${values}${o.default !== undefined ? ` [default: ${o.default}]` : ''}`;
}

/** `usage: resdsl compile FILE [options]`. */
export function usageLine(spec: CommandSpec): string {
  return `usage: resdsl ${spec.name}${spec.args ? ` ${spec.args.count === 'optional' ? `[${spec.args.name}]` : spec.args.name}` : ''} [options]`;
}

export function commandHelp(spec: CommandSpec): string {
  const out = [`resdsl ${spec.name}: ${spec.summary}`, '', usageLine(spec)];
  if (spec.about) out.push('', ...wrap(spec.about, WIDTH));
  out.push('', 'options:', ...columns([...spec.options, debugOption].map((o) => [optionLeft(o), optionRight(o)])));
  out.push('', 'examples:');
  for (const [command, what] of spec.examples) out.push(`  ${command}`, ...wrap(what, WIDTH - 6).map((l) => `      ${l}`));
  return out.join('\n');
}

export function topHelp(commands: CommandTable): string {
  const list = [...commands.values()].map((c) => [c.spec.name, c.spec.summary] as const);
  return [
    `resdsl ${version}: a compiler for a declarative language of residual neural networks`,
    '',
    'usage: resdsl COMMAND [options]',
    '',
    'commands:',
    ...columns(list),
    '',
    'options:',
    ...columns([
      ['-h, --help', 'print this help; resdsl COMMAND --help prints the options of a command'],
      ['-V, --version', 'print the version'],
      [optionNames(debugOption), `with any command: ${debugOption.help}`],
    ]),
    '',
    'exit codes: 0 ok, 1 errors in the input or a failed run, 2 a wrong command line, 70 an internal error',
    '',
    'resdsl help COMMAND prints the options and examples of a command.',
  ].join('\n');
}

/** `resdsl help [COMMAND]`. */
export function helpCommand(args: Parsed, io: Io, commands: CommandTable): number {
  const name = args.positionals[0];
  if (name === undefined) {
    io.out(topHelp(commands));
    return 0;
  }
  const c = commands.get(name);
  if (!c) throw new UsageError(`help: unknown command ${name}; the commands are ${[...commands.keys()].join(', ')}`);
  io.out(commandHelp(c.spec));
  return 0;
}
