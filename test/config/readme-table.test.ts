// The configuration cannot drift from its documentation or leak out of adapters/config: the
// README table is what the schema renders, the stand-alone scripts read only documented
// variables, and Biome refuses process.env anywhere but the configuration module.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigurationTable, TABLE_END, TABLE_START } from '../../adapters/config/settings-table.ts';
import { STANDALONE_VARIABLES, VARIABLES } from '../../adapters/config/settings.schema.ts';
import { repoRoot } from '../support/slack-requests.ts';

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

describe('README "Configuration"', () => {
  it('is the table the schema renders (npm run docs:config rewrites it)', () => {
    const readme = read('README.md');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start, 'README.md has the table markers').toBeGreaterThan(0);
    expect(readme.slice(start + TABLE_START.length, end).trim()).toBe(renderConfigurationTable());
  });

  it('lists every variable, including those the stand-alone scripts read themselves', () => {
    const table = renderConfigurationTable();
    for (const name of [...Object.keys(VARIABLES), ...Object.keys(STANDALONE_VARIABLES)])
      expect(table).toContain(`| \`${name}\``);
    for (const file of ['prisma.config.ts', 'scripts/prisma-generate.ts']) {
      const names = [...read(file).matchAll(/process\.env\.([A-Z0-9_]+)/g)].map((m) => m[1]!);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(table, `${file} reads ${name}`).toContain(`| \`${name}\``);
    }
  });
});

describe("Biome's style/noProcessEnv", () => {
  function lint(dir: string): { status: number | null; output: string } {
    const file = path.join(dir, `lint-probe-${randomBytes(4).toString('hex')}.ts`);
    writeFileSync(path.join(repoRoot, file), 'export const level = process.env.LOG_LEVEL;\n');
    try {
      const r = spawnSync(path.join(repoRoot, 'node_modules/.bin/biome'), ['lint', '--colors=off', file], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      return { status: r.status, output: r.stdout + r.stderr };
    } finally {
      rmSync(path.join(repoRoot, file), { force: true });
    }
  }

  it('fails a file that reads process.env outside adapters/config', () => {
    for (const dir of ['worker', 'bot', 'bench', 'test/support']) {
      const r = lint(dir);
      expect(r.status, dir).not.toBe(0);
      expect(r.output).toContain('lint/style/noProcessEnv');
    }
  });

  it('allows it in adapters/config', () => {
    const r = lint('adapters/config');
    expect(r.output).not.toContain('noProcessEnv');
    expect(r.status).toBe(0);
  });
});
