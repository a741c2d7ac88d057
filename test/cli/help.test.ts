/**
 * Help and the command line: `resdsl help [COMMAND]`, `COMMAND --help` and `-h` print every
 * declared option with its explanation and default, and examples; the top-level help lists every
 * command with its sentence; a wrong command line is one line, exit 2, that says what is wrong
 * (with the similar option or command where there is one); names of Object.prototype members are
 * unknown commands and options like any other.
 */
import { describe, expect, it } from 'vitest';
import { commands, irStages, opsets } from '../../src/cli/commands.js';
import { defaultOpset, supportedOpsets } from '../../src/onnx/lower.js';
import { stages } from '../../src/pipeline/index.js';
import { main } from '../../src/cli/main.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  return { code, out, err };
}

const prototypeNames = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf'];

describe('help', () => {
  it('the top level lists every command with its sentence, on stdout with --help, on stderr (exit 2) with nothing', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      for (const [name, c] of commands) expect(r.out).toMatch(new RegExp(`^  ${name} +${c.spec.summary.slice(0, 30).replace(/[()]/g, '\\$&')}`, 'm'));
      expect(r.out).toContain('exit codes: 0 ok, 1 ');
    }
    const bare = await cli();
    expect(bare.code).toBe(2);
    expect(bare.out).toBe('');
    expect(bare.err).toContain('commands:');
  });

  it('resdsl run --help prints the options of run, each with its explanation and default, and examples', async () => {
    const r = await cli('run', '--help');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^resdsl run: /);
    expect(r.out).toContain('usage: resdsl run FILE [options]');
    expect(r.out).toMatch(/^ {2}--runtime RUNTIME +js for our executor, ort for onnxruntime-node \[default: js\]$/m);
    expect(r.out).toMatch(/^ {2}-o, --out FILE +write the outputs/m);
    expect(r.out).toMatch(/^ {2}--max-errors N +show at most N diagnostics[\s\S]*\[default: 50\]/m);
    expect(r.out).toMatch(/examples:\n {2}resdsl run /);
  });

  for (const [name, c] of commands) {
    it(`${name}: --help, -h and help ${name} print the same, with every option and two or three examples`, async () => {
      const a = await cli(name, '--help');
      expect((await cli(name, '-h')).out).toBe(a.out);
      expect((await cli('help', name)).out).toBe(a.out);
      for (const o of c.spec.options) {
        expect(a.out).toContain(`--${o.name}`);
        if (o.default !== undefined) expect(a.out).toContain(`[default: ${o.default}]`);
      }
      expect(a.out).toContain('--debug');
      expect(c.spec.examples.length).toBeGreaterThanOrEqual(name === 'help' ? 1 : 2);
      for (const [line] of c.spec.examples) expect(a.out).toContain(`  ${line}\n`);
      // lines fit a terminal
      for (const line of a.out.split('\n')) if (!line.startsWith('  resdsl ')) expect(line.length).toBeLessThanOrEqual(100);
    });
  }

  it('the opsets and stages the declarations list are the lowering\'s and the pipeline\'s', () => {
    expect(opsets).toEqual(supportedOpsets.map(String));
    expect(commands.get('compile')!.spec.options.find((o) => o.name === 'opset')!.default).toBe(String(defaultOpset));
    expect(irStages).toEqual(stages.filter((s) => s.ir).map((s) => s.name));
  });

  it('--help wins over other mistakes on the line, as in git', async () => {
    const r = await cli('check', '--bogus', 'x', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^resdsl check: /);
  });
});

describe('a wrong command line', () => {
  const usage = async (argv: string[], message: RegExp) => {
    const r = await cli(...argv);
    expect(r.code, argv.join(' ')).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err.trim()).toMatch(message);
  };

  it('says what is wrong, in one line, with the similar option or command', async () => {
    await usage(['check', '--formt', 'json', 'x'], /^resdsl: unknown option --formt for check; a similar option exists: --format$/);
    await usage(['check', '--bogus', 'x'], /^resdsl: unknown option --bogus for check; see resdsl check --help$/);
    await usage(['chek', 'x'], /^resdsl: unknown command chek; a similar command exists: check$/);
    await usage(['frobnicate'], /^resdsl: unknown command frobnicate; the commands are check, summary, compile, run, fmt, graph, lsp, help, completion$/);
    await usage(['check'], /^resdsl: check needs files or folders to check; see resdsl check --help$/);
    await usage(['compile', 'a.resdsl', 'b.resdsl'], /^resdsl: compile takes one FILE, not 2: a\.resdsl, b\.resdsl$/);
    await usage(['check', '--format', 'xml', 'x'], /^resdsl: --format must be one of text, json, github, not xml$/);
    await usage(['check', '--format'], /^resdsl: --format needs a value \(FORMAT\); see resdsl check --help$/);
    await usage(['check', '--format', '--shortcut', 'A', 'x'], /^resdsl: --format needs a value \(FORMAT\), not the option --shortcut/);
    await usage(['summary', 'x', '--json=yes'], /^resdsl: --json takes no value; write --json alone$/);
    await usage(['run', 'x', '--seed', '1', '--seed', '2'], /^resdsl: --seed is given twice; give it once$/);
    await usage(['help', 'nope'], /^resdsl: help: unknown command nope; the commands are /);
    await usage(['completion', 'fish'], /^resdsl: completion: no script for fish; the shells are bash, zsh$/);
  });

  it('a negative or malformed integer is explained, whichever way it is written', async () => {
    for (const argv of [['--seed', '-1'], ['--seed=-1'], ['--seed', '1.5'], ['--seed', '4294967296']])
      await usage(['run', 'x.resdsl', ...argv], /^resdsl: --seed needs an integer from 0 to 4294967295, not \S+ \(seeds are unsigned 32-bit integers\)$/);
    await usage(['check', 'x', '--max-errors', '-3'], /^resdsl: --max-errors needs an integer from 0 to \d+, not -3$/);
    await usage(['run', 'x', '--threads', '3'], /^resdsl: --threads needs an integer from 1 to 2, not 3$/);
  });

  it('names of Object.prototype members are unknown commands and options, never an internal error', async () => {
    for (const name of prototypeNames) {
      await usage([name], new RegExp(`^resdsl: unknown command ${name}; `));
      await usage(['help', name], /^resdsl: help: unknown command /);
      await usage(['check', `--${name}`, 'x'], new RegExp(`^resdsl: unknown option --${name} for check; `));
      await usage(['completion', name], /^resdsl: completion: no script for /);
    }
  });

  it('-- ends the options: what follows is a file, even when it begins with a dash', async () => {
    const r = await cli('check', '--', '--not-an-option.resdsl');
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot read --not-an-option.resdsl: no such file');
  });
});
