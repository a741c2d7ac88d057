/**
 * The declaration of a command and of its options: one entry per option (long name, short form,
 * value name, allowed values, default, one-line explanation) that the parser (parse.ts), the help
 * (help.ts), the usage errors and the shell completion (completion.ts) all read. The options
 * several commands share are declared here once.
 */

export interface OptionSpec {
  /** The long name, without dashes: `max-errors` is `--max-errors`. */
  readonly name: string;
  /** A one-letter short form: `n` is `-n`. */
  readonly short?: string;
  /** The value's name in help (`N`, `FILE`); an option without one is a flag. */
  readonly value?: string;
  /** The values allowed (what completion offers). */
  readonly choices?: readonly string[];
  /** An integer in [min, max]; `why` explains the range when a value is outside it. */
  readonly int?: { readonly min: number; readonly max: number; readonly why?: string };
  /** The value when the option is not given, as help shows it. */
  readonly default?: string;
  /** May be given several times; the values are kept in order. */
  readonly multiple?: boolean;
  /** The value is a path: completion offers files (with these extensions when given). */
  readonly file?: readonly string[];
  /** The command needs no positional argument when this flag is given (`compile --passes`). */
  readonly standalone?: boolean;
  /** One line: what the option does. */
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  /** One sentence: what the command does (the top-level help's list). */
  readonly summary: string;
  /** The positional arguments: their name in usage, what they are (in errors), how many, and the file extensions completion offers. */
  readonly args?: { readonly name: string; readonly what: string; readonly count: 'one' | 'some' | 'optional'; readonly file?: readonly string[] };
  readonly options: readonly OptionSpec[];
  /** More about the command, after the usage line (a few sentences). */
  readonly about?: string;
  /** Command lines with what each does. */
  readonly examples: readonly (readonly [string, string])[];
}

export const helpOption: OptionSpec = { name: 'help', short: 'h', help: 'print this help' };

/** Taken out of the arguments by main before a command parses them: every command has it. */
export const debugOption: OptionSpec = { name: 'debug', help: 'print the stack trace of an internal error (a compiler bug)' };

export const networkOption: OptionSpec = { name: 'network', short: 'n', value: 'NAME', help: 'the network to use, when the file holds several' };

export const shortcutOption: OptionSpec = {
  name: 'shortcut',
  value: 'POLICY',
  choices: ['A', 'B', 'C'],
  default: 'B',
  help: 'the ResNet paper\'s option for each `shortcut` that does not pin one: A zero-pads, B projects where the shape changes, C always projects',
};

export const maxErrorsOption: OptionSpec = {
  name: 'max-errors',
  value: 'N',
  int: { min: 0, max: Number.MAX_SAFE_INTEGER },
  default: '50',
  help: 'show at most N diagnostics (errors, warnings, notes), then how many more there are (0: all of them)',
};

export const weightsOption: OptionSpec = {
  name: 'weights',
  value: 'FILE',
  file: ['safetensors'],
  help: 'weights from a safetensors file with PyTorch state_dict names (default: seeded weights)',
};

export const seedOption: OptionSpec = {
  name: 'seed',
  value: 'N',
  int: { min: 0, max: 2 ** 32 - 1, why: 'seeds are unsigned 32-bit integers' },
  default: '0',
  help: 'the seed of the generated weights',
};

export const noFuseOption: OptionSpec = { name: 'no-fuse', help: 'keep each batch norm instead of folding it into the conv before it' };

/** The commands by name, as help and completion read them (commands.ts has the one table). */
export type CommandTable = ReadonlyMap<string, { readonly spec: CommandSpec }>;

/** Short and long names of an option, as help and errors show them: `-n, --network`. */
export function optionNames(o: OptionSpec): string {
  return o.short ? `-${o.short}, --${o.name}` : `--${o.name}`;
}
