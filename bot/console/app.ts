import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { PrismaClient } from '../../prisma/client.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { seedBootstrapOrganiser } from '../../prisma/repositories/bootstrap-organiser.ts';
import type { Assessment } from '../../core/assessment.ts';
import { createAssessmentYears, withAssessment } from '../../core/assessment-years.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import type { ConsoleClock } from './clock.ts';
import { demoDue, loadDemoFindings, readDemo, type DemoOutcome } from './demo.ts';
import { CONSOLE_PLATFORM, ConsoleDirectory, ORGANISER_ID } from './identities.ts';
import { ConsoleSession } from './session.ts';
import { SessionMessenger } from './session-messenger.ts';
import { ButtonHandles } from './button-handles.ts';

// The console wired up: core's use cases over the store of record, the console members and channels,
// the demo year, the messenger and one session. bot/console.ts (the entry) builds the clients
// from the environment; tests pass a test database's client.

export const DEMO_SCENARIO = fileURLToPath(new URL('../../rules/examples/hz-2017-demo.scenario.json', import.meta.url));

export interface ConsoleAppOptions {
  prisma: PrismaClient;
  rulebook: Rulebook;
  /** Every assessment year held, oldest first (rules/rulebook-years.ts); default: `rulebook`'s alone. */
  rulebooks?: readonly Rulebook[];
  clock: ConsoleClock;
  locale: Locale;
  logger: Logger;
  out: Writable;
  ansi?: boolean;
}

export interface ConsoleApp {
  assessment: Assessment;
  directory: ConsoleDirectory;
  messenger: SessionMessenger;
  chat: ConsoleSession;
  /**
   * The demo line to show: loaded (idempotently), or refused on a database with findings that are
   * not the demo's — the demo never mixes into real months, whatever the date.
   */
  loadDemo(): Promise<{ line: string; outcome: DemoOutcome | null }>;
}

/** Members (organiser bootstrapped, inspector) and channels exist after this; nothing else is written. */
export async function createConsoleApp(o: ConsoleAppOptions): Promise<ConsoleApp> {
  const assessment = createAssessmentYears({
    rulebooks: o.rulebooks ?? [o.rulebook],
    store: new PrismaAssessmentStore(o.prisma),
    clock: o.clock,
    defaultLocale: o.locale,
  });
  const directory = new ConsoleDirectory(o.rulebook, assessment.membership, o.locale);
  await seedBootstrapOrganiser(o.prisma, `${CONSOLE_PLATFORM}:${ORGANISER_ID}`);
  await directory.ensureInspector();
  await directory.ensureChannels();
  const session = Date.now().toString(36) + randomBytes(2).toString('hex');
  const handles = new ButtonHandles();
  const messenger = new SessionMessenger({
    pressCommand: handles.pressCommand,
    out: o.out,
    session,
    locale: o.locale,
    userName: (id) => directory.userName(id),
    channelName: (id) => directory.channelName(id),
    ...(o.ansi === undefined ? {} : { ansi: o.ansi }),
  });
  const chat = new ConsoleSession({
    deps: withAssessment(assessment, { logger: o.logger, defaultLocale: o.locale }),
    directory,
    messenger,
    clock: o.clock,
    out: o.out,
    session,
    handles,
  });
  return {
    assessment,
    directory,
    messenger,
    chat,
    async loadDemo() {
      const foreign = await o.prisma.finding.count({
        where: { rulebookId: o.rulebook.id, channel: { not: 'console' } },
      });
      if (foreign > 0) return { line: t(o.locale, 'bot.console.demoSkippedRealData'), outcome: null };
      // Everything due is in already (the usual restart): one query instead of replaying the year.
      const due = demoDue(DEMO_SCENARIO, assessment.today());
      const present = await o.prisma.finding.count({ where: { idempotencyKey: { in: due } } });
      if (present === due.length) {
        const total = readDemo(DEMO_SCENARIO).findings.length;
        return {
          line: t(o.locale, 'bot.console.demoLoaded', { present, created: 0, skipped: total - present }),
          outcome: { total, created: 0, skipped: total - present, rectified: 0 },
        };
      }
      const d = await loadDemoFindings(assessment, o.clock, directory, DEMO_SCENARIO, o.locale);
      return {
        line: t(o.locale, 'bot.console.demoLoaded', {
          present: d.total - d.skipped,
          created: d.created,
          skipped: d.skipped,
        }),
        outcome: d,
      };
    },
  };
}
