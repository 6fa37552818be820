// Entry: npm run chat (and npm start) — kaoping in the terminal, no Slack workspace needed. The
// same handlers as the Slack bot, driven by typed commands through the console messenger. No Redis
// is needed: the console publishes no ledger events.
//
// Two databases, never mixed:
//   demo (default)   KAOPING_DEMO_DATABASE_URL (default …/kaoping_demo): created, migrated and
//                    seeded here, the bundled 2017 demo year loaded into it. The quick start
//                    cannot touch an office's data, and demo findings never reach it.
//   --office         DATABASE_URL, the office's real data (prepared by `npm run setup`): the console
//                    as a client of it; the demo year is never loaded there.
//
//   npm run chat                      interactive; starts as the organiser
//   npm run chat -- --as 市公安局      start as that unit's contact (also: inspector, organiser)
//   npm run chat -- --no-demo         the demo database without the demo findings
//   npm run chat -- --office          the office's database
//   printf '/myscore 市公安局\n' | npm run chat     commands from stdin, exit at the end
//
// KAOPING_NOW pins "today" (default 2017-10-09 10:00 Asia/Shanghai, inside the bundled year);
// KAOPING_LOCALE=en for English; KAOPING_RULEBOOK picks the rulebook (default hz-2017). The
// console asks the configuration module for no Slack or Redis settings, so they cannot stop it.
import pino from 'pino';
import { createPrismaClient } from '../prisma/client.ts';
import { applyMigrations } from '../prisma/migrate.ts';
import { seedRulebook } from '../prisma/repositories/rulebook-seed.ts';
import { t } from '../core/i18n/t.ts';
import { settingsOrExit } from '../adapters/config/load-settings.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { loadRulebookYears } from '../rules/rulebook-years.ts';
import { createConsoleApp } from './console/app.ts';
import { ConsoleClock } from './console/clock.ts';
import { runRepl } from './console/repl.ts';
import { requestIdMixin } from '../adapters/observability/request-context.ts';

const DEMO_NOW = '2017-10-09T10:00:00+08:00';

const settings = settingsOrExit('chat');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const logger = pino(
  { name: 'kaoping-console', level: settings.log.level ?? 'error', mixin: requestIdMixin },
  pino.destination(2),
);
const locale = settings.locale.default;
const rulebook = loadRulebook(settings.rulebook.id);
const clock = new ConsoleClock(settings.clock.pinnedNow ?? new Date(DEMO_NOW));
const office = flag('--office');
const databaseUrl = office ? settings.database.url : settings.demo.databaseUrl;

/** host, port and database name: two URLs naming the same database, whatever the user or options. */
function sameDatabase(a: string, b: string): boolean {
  const key = (u: string) => {
    const x = new URL(u);
    return `${x.hostname}:${x.port || '5432'}/${decodeURIComponent(x.pathname.slice(1))}`;
  };
  return key(a) === key(b);
}

if (!office && sameDatabase(settings.demo.databaseUrl, settings.database.url)) {
  console.error(t(locale, 'bot.console.demoIsOffice'));
  process.exit(2);
}
if (!office) {
  // The demo database is the console's own: made ready here, so the quick start needs no setup
  // and never runs one against an office's database.
  try {
    await applyMigrations(databaseUrl);
  } catch (e) {
    console.error(t(locale, 'bot.console.setup.notReady', { detail: (e as Error).message }));
    process.exit(2);
  }
}
const prisma = createPrismaClient(databaseUrl, { pool: { max: 4 } });
if (!office) await seedRulebook(prisma, rulebook.id);

async function ready(): Promise<string | null> {
  try {
    const units = await prisma.unit.count({ where: { rulebookId: rulebook.id } });
    return units > 0 ? null : `no units of ${rulebook.id}`;
  } catch (e) {
    return (
      (e as Error).message
        .split('\n')
        .filter((l) => l.trim())
        .at(-1) ?? String(e)
    );
  }
}

const problem = await ready();
if (problem) {
  console.error(t(locale, 'bot.console.setup.notReady', { detail: problem }));
  await prisma.$disconnect();
  process.exit(2);
}

const interactive = Boolean(process.stdin.isTTY);
const { chat, loadDemo } = await createConsoleApp({
  prisma,
  rulebook,
  rulebooks: loadRulebookYears(rulebook.id),
  clock,
  locale,
  logger,
  out: process.stdout,
  ansi: interactive && Boolean(process.stdout.isTTY),
});
const demoLine = office || flag('--no-demo') ? null : (await loadDemo()).line;
chat.welcome();
if (demoLine) console.log(demoLine);
const as = option('--as');
if (as) await chat.handleLine(`/as ${as}`);
else await chat.handleLine('/whoami');
if (interactive) console.log(t(locale, 'bot.console.help'));

await runRepl(chat, process.stdin, process.stdout, { interactive });
await prisma.$disconnect();
process.exit(0);
