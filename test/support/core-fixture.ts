import { createTestDatabase } from './database.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { AssessmentService } from '../../core/assessment-service.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import type { Actor, LedgerEvent, Role } from '../../core/assessment-api.ts';
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

/** A migrated, seeded PostgreSQL database with the core service over it and a few members. */
export async function createCoreFixture(opts: { now?: string } = {}) {
  const db = await createTestDatabase();
  const rulebook = loadRulebook('hz-2017');
  const store = new PrismaAssessmentStore(db.prisma);
  const clock = new TestClock(new Date(opts.now ?? '2017-06-15T10:00:00+08:00'));
  const events: LedgerEvent[] = [];
  const service = new AssessmentService({
    rulebook,
    store,
    clock,
    events: { publish: async (e) => void events.push(e) },
  });

  async function member(externalId: string, role: Role, unit?: string): Promise<Actor> {
    const row = await db.prisma.member.create({
      data: {
        platform: 'test',
        externalId,
        role,
        ...(unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } } } : {}),
      },
    });
    const r = await service.resolveActor('test', row.externalId);
    if (!r.ok) throw r.error;
    return r.value;
  }

  return { db, prisma: db.prisma, rulebook, store, clock, events, service, member, drop: () => db.drop() };
}
