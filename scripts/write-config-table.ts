// npm run docs:config — rewrites the Configuration table of README.md from adapters/config
// (test/config/readme-table.test.ts fails when the two differ).
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigurationTable } from '../adapters/config/settings-table.ts';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withConfigurationTable(before);
if (after === before) console.log('README.md: the configuration table is up to date');
else {
  writeFileSync(path, after);
  console.log('README.md: configuration table rewritten');
}
