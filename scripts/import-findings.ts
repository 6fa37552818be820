// `npm run import -- file.xlsx|file.csv`: the findings sheet of an export (or a spreadsheet in its
// format) filed into the office's database through the bulk intake, as the system (audited as
// system:import; organisers in chat use /kaoping import). All-or-nothing: every problem is printed
// by row and column and nothing is written; the same file imported again adds nothing. The
// recompute is announced to the worker over the queue; each unit's summary is printed here
// (an import at the console posts them to the units' channels).
//
// Settings read: DATABASE_URL, REDIS_URL, KAOPING_QUEUE_PREFIX, KAOPING_RULEBOOK, KAOPING_LOCALE, KAOPING_NOW.
// Exit codes: 0 imported, 1 refused (problems printed), 2 usage or settings.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { settingsOrExit } from '../adapters/config/load-settings.ts';
import { clockFrom } from '../adapters/clock/pinned-clock.ts';
import { renderConsoleText } from '../adapters/messenger/console/console-text.renderer.ts';
import { BullLedgerEvents } from '../adapters/queue/ledger-events.adapter.ts';
import { createQueues } from '../adapters/queue/queues.ts';
import { createRedis } from '../adapters/queue/redis-connection.ts';
import { importFindings, importOutcomeMessage, unitSummaries } from '../adapters/reports/findings-import.ts';
import { systemActor } from '../core/assessment-api.ts';
import { createAssessment } from '../core/assessment.ts';
import { t } from '../core/i18n/t.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { PrismaAssessmentStore } from '../prisma/repositories/prisma-assessment-store.ts';
import { loadRulebook } from '../rules/rulebook.ts';

const settings = settingsOrExit('import');
const locale = settings.locale.default;
const path = process.argv.slice(2).find((a) => a !== '--');
if (!path) {
  process.stderr.write(`${t(locale, 'report.usage.import')}\nnpm run import -- <file.xlsx|file.csv>\n`);
  process.exit(2);
}
let bytes: Uint8Array;
try {
  bytes = await readFile(path);
} catch {
  process.stderr.write(`${t(locale, 'report.import.notFound', { value: path })}\n`);
  process.exit(2);
}

const prisma = createPrismaClient(settings.database.url);
const redis = createRedis(settings.queue.redisUrl, { role: 'producer', name: 'kaoping-import' });
const queues = createQueues(redis, settings.queue.prefix);
let code = 0;
try {
  const assessment = createAssessment({
    rulebook: loadRulebook(settings.rulebook.id),
    store: new PrismaAssessmentStore(prisma),
    clock: clockFrom(settings.clock.pinnedNow),
    events: new BullLedgerEvents(queues),
    onEventError: (e) => process.stderr.write(`recompute not enqueued (the worker reconciles): ${String(e)}\n`),
  });
  const outcome = await importFindings(assessment, systemActor('import', locale), basename(path), bytes);
  process.stdout.write(`${renderConsoleText(importOutcomeMessage(locale, outcome), { ansi: false })}\n`);
  if (outcome.ok)
    for (const notice of unitSummaries(assessment.rulebook, locale, outcome).values())
      process.stdout.write(`\n${renderConsoleText(notice, { ansi: false })}\n`);
  else code = 1;
} finally {
  await queues.close();
  redis.disconnect();
  await prisma.$disconnect();
}
process.exit(code);
