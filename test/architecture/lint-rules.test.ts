// Biome's rules as configured in biome.json, shown biting on code given for a path in the tree
// (a scratch tree with our biome.json, so the overrides of that path apply): the environment is read only
// by the configuration module, and a formatting slip is reported.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIOME = join(ROOT, 'node_modules/.bin/biome');

const scratch = mkdtempSync(join(tmpdir(), 'kaoping-lint-'));
copyFileSync(join(ROOT, 'biome.json'), join(scratch, 'biome.json'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function biome(command: 'lint' | 'format', path: string, code: string) {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), code);
  const args = [command, '--vcs-enabled=false', '--colors=off', '--max-diagnostics=50'];
  if (command === 'format') args.push('--write');
  const run = spawnSync(BIOME, [...args, path], { cwd: scratch, encoding: 'utf8' });
  const written = command === 'format' ? readFileSync(join(scratch, path), 'utf8') : '';
  return { status: run.status, out: `${run.stdout}${run.stderr}`, written };
}

const READS_ENV = "export const port = Number(process.env.PORT ?? '3000');\n";

describe('lint rules (npm run lint)', () => {
  // bench/, scripts/ and the test support too: they ask adapters/config like every command does
  it.each([
    'core/example.ts',
    'bot/example.ts',
    'worker/example.ts',
    'prisma/example.ts',
    'bench/example.ts',
    'scripts/example.ts',
    'test/support/example.ts',
    'test/worker/support/example.ts',
  ])('reading process.env in %s is an error', (path) => {
    const r = biome('lint', path, READS_ENV);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('noProcessEnv');
  });

  it('the configuration module may read process.env', () => {
    expect(biome('lint', 'adapters/config/example.ts', READS_ENV)).toMatchObject({ status: 0 });
  });

  it('a line over 120 columns is rewrapped by the formatter', () => {
    const long = `export const units = [${Array.from({ length: 30 }, (_, i) => `'unit-${i}'`).join(', ')}];\n`;
    const r = biome('format', 'core/example.ts', long);
    expect(r.status).toBe(0);
    expect(r.written.split('\n').every((line) => line.length <= 120)).toBe(true);
    expect(r.written).not.toBe(long);
  });
});
