/**
 * Parsing a command's arguments by its declaration (options.ts). Written here rather than on
 * node:util's parseArgs, whose messages are multi-line and which refuses `--seed -1` as ambiguous:
 * an option that takes a value takes the next argument whatever it looks like, except another
 * option (`--format --json`); `-` and negative numbers are values. `--name=value`, `-nVALUE` and
 * `--` (everything after it is positional) work as in other tools. Every problem is a UsageError
 * of one line.
 */
import { closest } from '../ir/elaborate/suggest.js';
import { UsageError } from './io.js';
import type { CommandSpec, OptionSpec } from './options.js';

/** A value that begins with a dash but is not an option: `-`, `-1`, `-0.5`. */
const dashValue = (a: string) => a === '-' || /^-\d/.test(a);

/** `see resdsl check --help`: where to look, appended to a usage error. */
export const seeHelp = (command: string) => `see resdsl ${command} --help`;

/** Whether the arguments ask for help (`-h` or `--help` before any `--`). */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '-h' || a === '--help') return true;
  }
  return false;
}

export class Parsed {
  constructor(
    readonly command: CommandSpec,
    private readonly values: ReadonlyMap<string, readonly string[]>,
    readonly positionals: readonly string[],
  ) {}

  private spec(name: string): OptionSpec {
    const o = this.command.options.find((x) => x.name === name);
    if (!o) throw new Error(`command ${this.command.name} declares no option ${name}`);
    return o;
  }

  /** Whether the option was given. */
  has(name: string): boolean {
    this.spec(name);
    return this.values.has(name);
  }

  /** A flag's value. */
  flag(name: string): boolean {
    return this.has(name);
  }

  /** An option's value (the last, when given several times), or its default. */
  string(name: string): string | undefined {
    const given = this.values.get(name);
    return given ? given[given.length - 1] : this.spec(name).default;
  }

  /** Every value of an option given several times. */
  all(name: string): readonly string[] {
    this.spec(name);
    return this.values.get(name) ?? [];
  }

  /** An integer option (checked when parsed), or its default. */
  int(name: string): number {
    return Number(this.string(name));
  }

  /** A choice option (checked when parsed), or its default. */
  choice<T extends string>(name: string): T {
    return this.string(name) as T;
  }
}

function checkValue(command: string, o: OptionSpec, v: string): void {
  const flag = `--${o.name}`;
  if (o.choices && !o.choices.includes(v)) throw new UsageError(`${flag} must be one of ${o.choices.join(', ')}, not ${v || 'an empty value'}`);
  if (o.int) {
    const { min, max, why } = o.int;
    if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max)
      throw new UsageError(`${flag} needs an integer from ${min} to ${max}, not ${v || 'an empty value'}${why ? ` (${why})` : ''}`);
  }
  if (o.value && v === '' && !o.choices && !o.int) throw new UsageError(`${flag} needs a value (${o.value}), not an empty one; ${seeHelp(command)}`);
}

function unknownOption(command: CommandSpec, given: string): UsageError {
  const names = command.options.flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]);
  const near = given.startsWith('--') ? closest(given, names.filter((n) => n.startsWith('--'))) : undefined;
  return new UsageError(`unknown option ${given} for ${command.name}; ${near ? `a similar option exists: ${near}` : seeHelp(command.name)}`);
}

/** Parses `argv` (the arguments after the command's name) by the command's declaration. */
export function parseCommand(command: CommandSpec, argv: readonly string[]): Parsed {
  const long = new Map(command.options.map((o) => [o.name, o]));
  const short = new Map(command.options.filter((o) => o.short).map((o) => [o.short!, o]));
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const set = (o: OptionSpec, v: string, shown: string) => {
    if (values.has(o.name) && !o.multiple && o.value) throw new UsageError(`${shown} is given twice; give it once`);
    if (o.value) checkValue(command.name, o, v);
    values.set(o.name, [...(values.get(o.name) ?? []), v]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || dashValue(a)) {
      positionals.push(a);
      continue;
    }
    let o: OptionSpec | undefined;
    let attached: string | undefined;
    let shown: string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      attached = eq < 0 ? undefined : a.slice(eq + 1);
      o = long.get(name);
      shown = `--${name}`;
    } else {
      o = short.get(a[1]!);
      if (o && a.length > 2) attached = o.value ? a.slice(2).replace(/^=/, '') : undefined;
      if (o && !o.value && a.length > 2) o = undefined; // `-hx`: flags are not combined
      shown = a.slice(0, 2);
    }
    if (!o) throw unknownOption(command, a.startsWith('--') ? shown : a);
    if (!o.value) {
      if (attached !== undefined) throw new UsageError(`${shown} takes no value; write ${shown} alone`);
      set(o, '', shown);
      continue;
    }
    if (attached === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && !dashValue(next)))
        throw new UsageError(`${shown} needs a value (${o.value})${next === undefined ? '' : `, not the option ${next}`}; ${seeHelp(command.name)}`);
      attached = next;
      i++;
    }
    set(o, attached, shown);
  }
  const standalone = command.options.some((o) => o.standalone && values.has(o.name));
  const args = command.args;
  if (!standalone && args) {
    if (args.count !== 'optional' && positionals.length === 0) throw new UsageError(`${command.name} needs ${args.what}; ${seeHelp(command.name)}`);
    if (args.count !== 'some' && positionals.length > 1)
      throw new UsageError(`${command.name} takes one ${args.name}, not ${positionals.length}: ${positionals.join(', ')}`);
  }
  if (!args && positionals.length) throw new UsageError(`${command.name} takes no arguments, not ${positionals.join(', ')}`);
  return new Parsed(command, values, positionals);
}
