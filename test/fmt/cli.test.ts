/** `resdsl fmt` through main(): rewriting, --check for CI, --stdout, and files it cannot format. */
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

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-fmt-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const messy = 'network n {input img: f32[N,3,8,8]\n relu # act\n}\n';
const tidy = 'network n {\n  input img: f32[N, 3, 8, 8]\n  relu  # act\n}\n';

describe('resdsl fmt', () => {
  it('finds examples/ and std/ formatted: resdsl fmt --check examples std exits 0', async () => {
    const r = await cli('fmt', '--check', 'examples', 'std');
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('--check lists the files that would change and exits 1, changing nothing; exit 0 once formatted', async () => {
    const dir = path.join(tmp, 'check');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.resdsl'), messy);
    fs.writeFileSync(path.join(dir, 'b.resdsl'), tidy);
    const r = await cli('fmt', '--check', dir);
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toEqual([path.join(dir, 'a.resdsl')]);
    expect(r.err).toContain('1 of 2 files would be reformatted');
    expect(fs.readFileSync(path.join(dir, 'a.resdsl'), 'utf8')).toBe(messy);
    const w = await cli('fmt', dir);
    expect(w.code).toBe(0);
    expect(w.err).toContain('rewrote 1');
    expect(fs.readFileSync(path.join(dir, 'a.resdsl'), 'utf8')).toBe(tidy);
    expect((await cli('fmt', '--check', dir)).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.resdsl', 'b.resdsl']);
  });

  it('--stdout prints the formatted text and changes nothing', async () => {
    const f = path.join(tmp, 'out.resdsl');
    fs.writeFileSync(f, messy);
    const r = await cli('fmt', '--stdout', f);
    expect(r.code).toBe(0);
    expect(r.out).toBe(tidy);
    expect(fs.readFileSync(f, 'utf8')).toBe(messy);
  });

  it('leaves a file with syntax errors as it is, shows its errors, exit 1; a missing file is one line', async () => {
    const f = path.join(tmp, 'broken.resdsl');
    fs.writeFileSync(f, 'block b( <relu>\n');
    const r = await cli('fmt', f);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0002]');
    expect(fs.readFileSync(f, 'utf8')).toBe('block b( <relu>\n');
    const m = await cli('fmt', path.join(tmp, 'missing.resdsl'));
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/cannot read .*missing\.resdsl: no such file/);
    expect(m.err).not.toMatch(/\n {4}at /);
  });
});
