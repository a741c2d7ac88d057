/** The commands, through the same main() the binary runs: exit codes, formats, and one-line errors. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), cwd: process.cwd() });
  return { code, out, err };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const bad = path.join(tmp, 'bad.resdsl');
fs.writeFileSync(bad, 'network t {\n  input image: f32[N, 3, 8, 8]\n  conv3(4, strid = 2)\n  expect params == 1\n}\n');

describe('resdsl check', () => {
  it('checks the whole examples folder clean: exit 0', async () => {
    const r = await cli('check', 'examples');
    const files = fs.readdirSync('examples').filter((f) => f.endsWith('.resdsl')).length;
    expect(r.err).toMatch(new RegExp(`checked ${files} files, \\d+ blocks, \\d+ generic networks?, \\d+ networks: ok\n$`));
    expect(r.code).toBe(0);
  });

  it('notes a generic network no checked file defines a network from (N0001), and not one another file uses', async () => {
    const lib = path.join(tmp, 'generic-lib.resdsl');
    const user = path.join(tmp, 'generic-user.resdsl');
    fs.writeFileSync(lib, 'network g(n) {\n  input img: f32[N, 3, 8, 8]\n  conv3(4) x n\n}\nnetwork h(n) {\n  input img: f32[N, 3, 8, 8]\n  conv3(8) x n\n}\n');
    fs.writeFileSync(user, 'use "./generic-lib.resdsl"\nnetwork g2 = g(2)\n');
    const alone = await cli('check', lib);
    expect(alone.err.match(/note\[N0001\]: network (\w+)/g)).toEqual(['note[N0001]: network g', 'note[N0001]: network h']);
    const both = await cli('check', lib, user);
    expect(both.err.match(/note\[N0001\]: network (\w+)/g)).toEqual(['note[N0001]: network h']);
    expect(both.code).toBe(0);
  });

  it('a file of blocks is checked: its summary line counts them, and every mistake is reported in one run', async () => {
    const lib = path.join(tmp, 'lib.resdsl');
    fs.writeFileSync(lib, 'block a(out) <conv3; bn; relu>\nblock b(out, stride = 1) <conv3(stride = stride); bn> + shortcut\n');
    const ok = await cli('check', lib);
    expect(ok.err).toBe('checked 1 file, 2 blocks, 0 networks: ok\n');
    expect(ok.code).toBe(0);
    // the bar: four independent mistakes, and an unused block holding an unknown layer
    const four = path.join(tmp, 'four.resdsl');
    fs.writeFileSync(
      four,
      [
        'block unused(out) <conv3; bn; rleu>',
        'network t {',
        '  input image: f32[N, 3, 8, 8]',
        '  conv3(4, strid = 2)',
        '  bn(eps = 1e-3, momentm = 0.1)',
        '  maxpool3(stride = 2, padd = 1)',
        '  fc(10, biass = true)',
        '}',
        '',
      ].join('\n'),
    );
    const r = await cli('check', four);
    expect(r.code).toBe(1);
    const found = [...r.err.matchAll(/^error\[(E\d{4})\]: (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(found).toEqual([
      expect.stringMatching(/^E0101 unknown layer or block rleu/),
      expect.stringMatching(/^E0104 .*strid/),
      expect.stringMatching(/^E0104 .*momentm/),
      expect.stringMatching(/^E0104 .*padd/),
      expect.stringMatching(/^E0104 .*biass/),
    ]);
    expect(r.err).toContain('has an argument named `stride`');
    expect(r.err).toMatch(/checked 1 file, 1 block, 1 network: 5 errors\n$/);
  });

  it('exit 1 with the rendered diagnostic on stderr', async () => {
    const r = await cli('check', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0104]: conv3 has no argument named strid');
    expect(r.err).toContain(`${bad}:3:12`);
    expect(r.err).toContain('  conv3(4, strid = 2)');
  });

  it('--format json gives every diagnostic with file, line and column, and its suggested replacement', async () => {
    const r = await cli('check', '--format', 'json', bad, 'examples/resnet18.resdsl');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.files).toBe(2);
    expect(j.networks).toEqual([{ file: 'examples/resnet18.resdsl', network: 'resnet18', params: 11689512, macs: 1814073344, outputs: ['logits'] }]);
    expect(j.diagnostics[0]).toMatchObject({ code: 'E0104', file: bad, line: 3, col: 12 });
    // the suggested replacement of the misspelled name, for tools that apply fixes
    expect(j.diagnostics[0].suggestion).toEqual({ line: 3, col: 12, endLine: 3, endCol: 17, replacement: 'stride' });
  });

  it('--format github prints workflow annotations', async () => {
    const r = await cli('check', '--format', 'github', bad);
    expect(r.out.trim()).toMatch(new RegExp(`^::error file=${bad.replace(/[/.]/g, '\\$&')},line=3,col=12,endLine=3,endColumn=21,title=E0104::conv3 has no argument named strid`));
  });

  it('usage errors exit 2 with one line', async () => {
    for (const argv of [['check'], ['check', '--format', 'xml', 'examples'], ['check', '--bogus', 'x'], ['frobnicate']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')[0]).toMatch(/^resdsl: /);
    }
  });

  it('a missing file is E0501, as summary, compile and run say it', async () => {
    const nope = path.join(tmp, 'nope.resdsl');
    for (const argv of [['check', nope], ['summary', nope], ['compile', nope, '-o', path.join(tmp, 'x.onnx')], ['run', nope]]) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`^error\\[E0501\\]: cannot read ${nope}: no such file\n --> ${nope}\n`));
    }
  });
});

describe('resdsl summary', () => {
  it('prints a table with projections marked and exact totals', async () => {
    const r = await cli('summary', 'examples/resnet18.resdsl');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Total params: 11,689,512');
    expect(r.out).toContain('Total MACs (conv and fc, batch 1): 1,814,073,344');
    expect(r.out).toMatch(/layer2\.0\.downsample\.0 \(conv\) \*\s+f32\[N, 128, 28, 28\]\s+8,192\s+6,422,528/);
  });

  it('shows the seed arithmetic: 1,179,648 and 69,632 in the rows of the two blocks', async () => {
    const r = await cli('summary', 'examples/seed.resdsl', '-n', 'seed_blocks');
    expect(r.out).toMatch(/two_3x3 \(plain\)\s+f32\[N, 256, 56, 56\]\s+1,179,648/);
    expect(r.out).toMatch(/bottleneck \(bottleneck\)\s+f32\[N, 256, 56, 56\]\s+69,632/);
  });

  it('--json has network, params, macs, inputs, outputs and layers', async () => {
    const r = await cli('summary', 'examples/cifar_resnet20.resdsl', '--json');
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ network: 'cifar_resnet20', params: 269722, macs: 40551040 });
    expect(j.inputs).toEqual([{ name: 'image', type: 'f32[N, 3, 32, 32]' }]);
    expect(j.outputs).toEqual([{ name: 'logits', type: 'f32[N, 10]' }]);
    expect(j.layers.find((l: { name: string }) => l.name === 'layer2.0.downsample.pad')).toMatchObject({ op: 'pad_channels', inserted: true, output: 'f32[N, 32, 16, 16]' });
  });

  it('asks for -n when a file holds several networks', async () => {
    const r = await cli('summary', 'examples/seed.resdsl');
    expect(r.code).toBe(1);
    expect(r.err).toContain('choose one with -n: ResBlk, seed_blocks, seed_net');
  });
});

describe('the binary', () => {
  it('runs from dist with the same exit codes, and never prints a stack trace', () => {
    const bin = path.resolve('bin/resdsl.js');
    const ok = spawnSync(process.execPath, [bin, 'check', 'examples/resnet50.resdsl'], { encoding: 'utf8' });
    expect(ok.stderr).toContain('checked 1 file, 1 network: ok');
    expect(ok.status).toBe(0);
    const fail = spawnSync(process.execPath, [bin, 'check', bad], { encoding: 'utf8' });
    expect(fail.status).toBe(1);
    expect(fail.stderr).not.toMatch(/\n\s+at /);
    const v = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
  });
});
