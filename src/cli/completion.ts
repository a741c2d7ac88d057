/**
 * `resdsl completion bash|zsh`: shell completion scripts made from the same declarations as the
 * parser and the help (commands.ts, options.ts): commands, each command's options, the values of
 * options with a fixed set (`--format text|json|github`), and files of the right extensions (and
 * folders) where a path goes.
 */
import { UsageError, type Io } from './io.js';
import { debugOption, type CommandSpec, type CommandTable, type OptionSpec } from './options.js';
import type { Parsed } from './parse.js';

const shells = ['bash', 'zsh'] as const;

/** Options as typed: `-n --network`. */
const spellings = (o: OptionSpec) => [...(o.short ? [`-${o.short}`] : []), `--${o.name}`];

const optionsOf = (spec: CommandSpec) => [...spec.options, debugOption];

function bashFiles(exts: readonly string[] | undefined): string {
  return `_resdsl_files '${(exts ?? []).join(' ')}'`;
}

function bashCommand(spec: CommandSpec, commands: CommandTable): string {
  const valueCases = optionsOf(spec)
    .filter((o) => o.value)
    .map((o) => {
      const what = o.choices ? `COMPREPLY=($(compgen -W '${o.choices.join(' ')}' -- "$cur"))` : o.file ? bashFiles(o.file) : 'COMPREPLY=()';
      return `        ${spellings(o).join('|')}) ${what}; return ;;`;
    });
  const words = optionsOf(spec).flatMap(spellings).join(' ');
  const positional =
    spec.name === 'help'
      ? `COMPREPLY=($(compgen -W '${[...commands.keys()].join(' ')}' -- "$cur"))`
      : spec.name === 'completion'
        ? `COMPREPLY=($(compgen -W '${shells.join(' ')}' -- "$cur"))`
        : bashFiles(spec.args?.file);
  return [
    `    ${spec.name})`,
    ...(valueCases.length ? ['      case $prev in', ...valueCases, '      esac'] : []),
    `      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '${words}' -- "$cur")); return; fi`,
    `      ${positional}`,
    '      ;;',
  ].join('\n');
}

export function bashScript(commands: CommandTable): string {
  const top = [...commands.keys(), '--help', '-h', '--version', '-V'].join(' ');
  return `# bash completion for resdsl: add \`source <(resdsl completion bash)\` to ~/.bashrc
_resdsl_files() {
  # folders, and files with one of the extensions in $1 (every file when there are none)
  local exts ext
  read -r -a exts <<< "$1"
  local IFS=$'\\n'
  COMPREPLY=($(compgen -d -- "$cur"))
  if [[ \${#exts[@]} -eq 0 ]]; then COMPREPLY+=($(compgen -f -- "$cur")); return; fi
  for ext in "\${exts[@]}"; do COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur")); done
}

_resdsl() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W '${top}' -- "$cur"))
    return
  fi
  case \${COMP_WORDS[1]} in
${[...commands.values()].map((c) => bashCommand(c.spec, commands)).join('\n')}
  esac
}

complete -o filenames -F _resdsl resdsl
`;
}

/** Text inside a single-quoted zsh word and an _arguments description: no quote, bracket or colon left bare. */
const zshText = (s: string) => s.replace(/([[\]:\\])/g, '\\$1').replace(/'/g, "'\\''");

const zshFiles = (exts: readonly string[] | undefined) => (exts?.length ? `_files -g "*.(${exts.join('|')})"` : '_files');

function zshOption(o: OptionSpec): string {
  const names = spellings(o);
  const exclusive = names.length > 1 && !o.multiple ? `'(${names.join(' ')})'` : '';
  const repeat = o.multiple ? "'*'" : '';
  const name = names.length > 1 ? `{${names.join(',')}}` : names[0]!;
  const action = o.choices ? `(${o.choices.join(' ')})` : o.file ? zshFiles(o.file) : ' ';
  const value = o.value ? `:${o.value}:${action}` : '';
  return `${exclusive}${repeat}${name}'[${zshText(o.help)}]${value}'`;
}

function zshCommand(spec: CommandSpec, commands: CommandTable): string {
  const args = spec.args;
  const positional =
    spec.name === 'help'
      ? `'1:command:(${[...commands.keys()].join(' ')})'`
      : spec.name === 'completion'
        ? `'1:shell:(${shells.join(' ')})'`
        : args
          ? `'${args.count === 'some' ? '*' : '1'}:${args.name}:${zshFiles(args.file)}'`
          : '';
  const lines = [...optionsOf(spec).map(zshOption), ...(positional ? [positional] : [])];
  return `    ${spec.name})\n      _arguments -s \\\n        ${lines.join(' \\\n        ')}\n      ;;`;
}

export function zshScript(commands: CommandTable): string {
  const described = [...commands.values()].map((c) => `    '${c.spec.name}:${zshText(c.spec.summary)}'`).join('\n');
  return `#compdef resdsl
# zsh completion for resdsl: \`resdsl completion zsh > DIR/_resdsl\` for a DIR in $fpath (before
# compinit), or \`source <(resdsl completion zsh)\` after compinit in ~/.zshrc
_resdsl() {
  local -a cmds
  cmds=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'resdsl command' cmds
    return
  fi
  local cmd=$words[2]
  shift words
  (( CURRENT-- ))
  case $cmd in
${[...commands.values()].map((c) => zshCommand(c.spec, commands)).join('\n')}
  esac
}

if [[ $funcstack[1] == _resdsl ]]; then _resdsl "$@"; else compdef _resdsl resdsl; fi
`;
}

/** `resdsl completion bash|zsh`. */
export function completionCommand(args: Parsed, io: Io, commands: CommandTable): number {
  const shell = args.positionals[0]!;
  if (shell === 'bash') io.out(bashScript(commands));
  else if (shell === 'zsh') io.out(zshScript(commands));
  else throw new UsageError(`completion: no script for ${shell}; the shells are ${shells.join(', ')}`);
  return 0;
}
