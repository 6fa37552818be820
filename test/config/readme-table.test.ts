// The configuration cannot drift from its documentation: the README table is what the schema
// renders, and the stand-alone scripts read only documented variables. (That nothing else reads
// process.env is Biome's style/noProcessEnv, shown biting in test/architecture/lint-rules.test.ts.)
import { readFileSync } from 'node:fs';
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
