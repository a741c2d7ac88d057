/**
 * `resdsl completion bash|zsh`: the bash script, sourced in a real bash, registers the completion
 * and completes commands, options, option values and files of the right kind; the zsh script
 * parses and registers with compinit (only where zsh is installed: it is not in CI's image).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.js';
import { bashScript, zshScript } from '../../src/cli/completion.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-completion-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const bashFile = path.join(dir, 'resdsl.bash');
fs.writeFileSync(bashFile, bashScript(commands));
for (const f of ['net.resdsl', 'model.onnx', 'x.npy', 'w.safetensors', 'notes.txt']) fs.writeFileSync(path.join(dir, f), '');
fs.mkdirSync(path.join(dir, 'specs'));

/** What bash offers for the words typed (the last one being completed), run in `dir`. */
function complete(...words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const script = `source ${bashFile}; COMP_WORDS=(resdsl ${quoted}); COMP_CWORD=${words.length}; _resdsl; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: dir });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '').sort();
}

describe('bash completion', () => {
  it('is registered for resdsl when sourced', () => {
    const r = spawnSync('bash', ['-c', `source ${bashFile} && complete -p resdsl`], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('complete -o filenames -F _resdsl resdsl');
  });

  it('completes commands: resdsl c offers check, compile and completion', () => {
    expect(complete('c')).toEqual(['check', 'compile', 'completion']);
    expect(complete('')).toEqual(['--help', '--version', '-V', '-h', 'check', 'compile', 'completion', 'fmt', 'graph', 'help', 'lsp', 'run', 'summary']);
  });

  it("completes a command's options and the values of options with a fixed set", () => {
    expect(complete('check', '--f')).toEqual(['--format']);
    expect(complete('check', '--format', '')).toEqual(['github', 'json', 'text']);
    expect(complete('run', 'net.resdsl', '--runtime', '')).toEqual(['js', 'ort']);
    expect(complete('compile', 'net.resdsl', '--opset', '1')).toEqual(['13', '14', '15', '16', '17']);
    expect(complete('run', '--r')).toEqual(['--random', '--repeat', '--runtime']);
    expect(complete('help', 'su')).toEqual(['summary']);
    expect(complete('completion', '')).toEqual(['bash', 'zsh']);
  });

  it('completes files of the kind each place takes, and folders', () => {
    expect(complete('check', '')).toEqual(['net.resdsl', 'specs']);
    expect(complete('run', '')).toEqual(['model.onnx', 'net.resdsl', 'specs']);
    expect(complete('run', 'net.resdsl', '--input', '')).toEqual(['specs', 'x.npy']);
    expect(complete('compile', 'net.resdsl', '--weights', '')).toEqual(['specs', 'w.safetensors']);
    expect(complete('summary', 'net.resdsl', '-n', '')).toEqual([]);
  });
});

const zsh = spawnSync('zsh', ['--version']).status === 0;

describe('zsh completion', () => {
  it.runIf(zsh)('parses, and registers _resdsl for resdsl with compinit', () => {
    const file = path.join(dir, '_resdsl');
    fs.writeFileSync(file, zshScript(commands));
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
    const r = spawnSync('zsh', ['-f', '-c', `autoload -U compinit && compinit -u -d ${dir}/zcompdump && source ${file} && print -r -- $_comps[resdsl]`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('_resdsl');
  });

  it('describes every command and escapes what _arguments reads', () => {
    const s = zshScript(commands);
    expect(s).toMatch(/^#compdef resdsl\n/);
    expect(s).toContain("'check:check specs\\: names");
    expect(s).toContain("the ResNet paper'\\''s option");
  });
});
