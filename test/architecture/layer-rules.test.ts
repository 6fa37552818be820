// The layer rules in .dependency-cruiser.cjs, shown biting: a small tree laid out like ours, with
// one deliberately wrong import per rule, is cruised with the real configuration (the same command
// `npm run check:layers` runs in CI), and every wrong import must be reported under the right rule —
// while the right-way imports beside them are not.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

// file → its source; imports use the .ts extension as the project does
const TREE: Record<string, string> = {
  'rules/engine.ts': "import { z } from 'zod';\nexport const engine = z;\n",
  'rules/bad-up.ts': "import { useCase } from '../core/use-case.ts';\nexport const x = useCase;\n",
  'core/use-case.ts': "import { engine } from '../rules/engine.ts';\nexport const useCase = engine;\n",
  'core/bad-platform.ts': "import { Queue } from 'bullmq';\nexport const q = Queue;\n",
  'core/bad-store.ts': "import { repo } from '../prisma/repositories/repo.ts';\nexport const r = repo;\n",
  'adapters/messenger.ts': "import { useCase } from '../core/use-case.ts';\nexport const m = useCase;\n",
  'adapters/bad-bot.ts': "import { handler } from '../bot/handler.ts';\nexport const b = handler;\n",
  'prisma/repositories/repo.ts': "import { useCase } from '../../core/use-case.ts';\nexport const repo = useCase;\n",
  'prisma/bad-worker.ts': "import { processor } from '../worker/processor.ts';\nexport const p = processor;\n",
  'bot/handler.ts': "import { m } from '../adapters/messenger.ts';\nexport const handler = m;\n",
  'bot/bad-worker.ts': "import { processor } from '../worker/processor.ts';\nexport const p = processor;\n",
  'bot/bad-store.ts': "import { repo } from '../prisma/repositories/repo.ts';\nexport const r = repo;\n",
  'bot/app.ts':
    "import { repo } from '../prisma/repositories/repo.ts';\nimport { handler } from './handler.ts';\nexport const app = [repo, handler];\n",
  'worker/processor.ts': "import { m } from '../adapters/messenger.ts';\nexport const processor = m;\n",
  'worker/bad-bot.ts': "import type { handler } from '../bot/handler.ts';\nexport type H = typeof handler;\n",
  'worker/main.ts':
    "import { repo } from '../prisma/repositories/repo.ts';\nimport { settings } from '../adapters/config/load-settings.ts';\nexport const main = [repo, settings];\n",
  'worker/bad-test.ts': "import { fixture } from '../test/fixture.ts';\nexport const f = fixture;\n",
  'test/fixture.ts': "import { main } from '../worker/main.ts';\nexport const fixture = main;\n",
  'adapters/config/load-settings.ts': "import { z } from 'zod';\nexport const settings = z;\n",
  'adapters/config/bad-client.ts': "import { Queue } from 'bullmq';\nexport const q = Queue;\n",
  'worker/bad-settings.ts':
    "import { settings } from '../adapters/config/load-settings.ts';\nexport const s = settings;\n",
  'prisma/seed.ts': "import { settings } from '../adapters/config/load-settings.ts';\nexport const seed = settings;\n",
  'node_modules/zod/package.json': '{"name":"zod","main":"index.js"}',
  'node_modules/zod/index.js': 'exports.z = {};\n',
  'node_modules/bullmq/package.json': '{"name":"bullmq","main":"index.js"}',
  'node_modules/bullmq/index.js': 'exports.Queue = {};\n',
};

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let dir: string;
let violations: Violation[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaoping-layers-'));
  for (const [file, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const run = spawnSync(
    DEPCRUISE,
    [
      '--config',
      join(ROOT, '.dependency-cruiser.cjs'),
      '--output-type',
      'json',
      'rules',
      'core',
      'adapters',
      'prisma',
      'bot',
      'worker',
      'test',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  violations = JSON.parse(run.stdout).summary.violations;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reported = (from: string) => violations.filter((v) => v.from === from).map((v) => `${v.rule.name} → ${v.to}`);

describe('layer rules (npm run check:layers)', () => {
  it.each([
    ['rules/bad-up.ts', 'rules-is-the-bottom → core/use-case.ts'],
    ['core/bad-platform.ts', 'no-platform-in-core → node_modules/bullmq/index.js'],
    ['core/bad-store.ts', 'core-only-on-rules → prisma/repositories/repo.ts'],
    ['adapters/bad-bot.ts', 'adapters-below-entry-points → bot/handler.ts'],
    ['prisma/bad-worker.ts', 'prisma-below-entry-points → worker/processor.ts'],
    ['bot/bad-worker.ts', 'bot-not-worker → worker/processor.ts'],
    ['bot/bad-store.ts', 'store-only-in-composition-roots → prisma/repositories/repo.ts'],
    ['worker/bad-bot.ts', 'worker-not-bot → bot/handler.ts'],
    ['worker/bad-test.ts', 'no-tests-or-benches-in-production → test/fixture.ts'],
    ['adapters/config/bad-client.ts', 'config-is-a-leaf → node_modules/bullmq/index.js'],
    ['worker/bad-settings.ts', 'settings-read-by-commands-only → adapters/config/load-settings.ts'],
  ])('%s is reported', (from, expected) => {
    expect(reported(from)).toContain(expected);
  });

  it('right-way imports are not reported (composition roots may build repositories; type-only imports count too)', () => {
    const clean = [
      'rules/engine.ts',
      'core/use-case.ts',
      'adapters/messenger.ts',
      'prisma/repositories/repo.ts',
      'bot/handler.ts',
      'bot/app.ts',
      'worker/processor.ts',
      'worker/main.ts',
      'test/fixture.ts',
      'adapters/config/load-settings.ts',
      'prisma/seed.ts', // a command: may read its settings, though prisma/ imports no other adapters
    ];
    for (const from of clean) expect(reported(from), from).toEqual([]);
  });
});
