import { createTestDatabase } from './database.ts';
import { createPrismaClient } from '../../prisma/client.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import type { Assessment } from '../../core/assessment.ts';
import { createAssessmentYears, withAssessment } from '../../core/assessment-years.ts';
import { loadRulebook, type Rulebook } from '../../rules/rulebook.ts';
import { type Actor, type LedgerEvent, type Role, systemActor } from '../../core/assessment-api.ts';
import type { Standings } from '../../rules/engine/types.ts';
import type { ClockPort } from '../../core/ports/clock.port.ts';

/** A settable clock: tests move through 2017 without waiting. */
export class TestClock implements ClockPort {
  constructor(private instant: Date) {}
  now(): Date {
    return this.instant;
  }
  set(iso: string): void {
    this.instant = new Date(iso);
  }
}

/** The engine's standings as of a day, asked as the system (as the worker does). */
export async function standingsOf(a: Pick<Assessment, 'queries'>, day: string): Promise<Standings> {
  const r = await a.queries.standingsAsOf(systemActor('test'), day);
  if (!r.ok) throw r.error;
  return r.value;
}

/** A migrated, seeded PostgreSQL database with core's use cases over it and a few members. */
export async function createCoreFixture(
  opts: {
    now?: string;
    /** The use cases reach the database at another URL (e.g. through a TCP proxy a test can cut). */
    serviceUrl?: (databaseUrl: string) => string;
    /** The assessment years held (rules/rulebook-years.ts), oldest first; default hz-2017's 2017 alone. */
    rulebooks?: readonly Rulebook[];
  } = {},
) {
  const db = await createTestDatabase();
  const rulebook = loadRulebook('hz-2017');
  const servicePrisma = opts.serviceUrl
    ? createPrismaClient(opts.serviceUrl(db.url), { pool: { connectionTimeoutMillis: 1_000 } })
    : db.prisma;
  const store = new PrismaAssessmentStore(servicePrisma);
  const clock = new TestClock(new Date(opts.now ?? '2017-06-15T10:00:00+08:00'));
  const events: LedgerEvent[] = [];
  const assessment = createAssessmentYears({
    rulebooks: opts.rulebooks ?? [rulebook],
    store,
    clock,
    events: { publish: async (e) => void events.push(e) },
  });

  async function member(externalId: string, role: Role, unit?: string): Promise<Actor> {
    await db.prisma.member.create({
      data: {
        identities: { create: { platform: 'test', externalId } },
        role,
        ...(unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } } } : {}),
      },
    });
    const r = await assessment.membership.resolveActor('test', externalId);
    if (!r.ok) throw r.error;
    return r.value;
  }

  async function drop() {
    if (servicePrisma !== db.prisma) await servicePrisma.$disconnect().catch(() => undefined);
    await db.drop();
  }

  // The use cases by area (fx.findings, fx.queries, …), and the whole for wiring a bot (fx.assessment).
  return withAssessment(assessment, { assessment, db, prisma: db.prisma, store, clock, events, member, drop });
}

export type CoreFixture = Awaited<ReturnType<typeof createCoreFixture>>;
