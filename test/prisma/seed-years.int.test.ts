import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRulebook } from '../../prisma/seed.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { rulebookYears } from '../../rules/rulebook-years.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The seed writes every assessment year the deployment holds: its months and ledger row, and the
// units a later year's rulebook adds (the office changed that year) — so a finding of that unit in
// that year has a unit row to point at.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ rulebooks: [] });
});
afterAll(async () => db?.drop());

describe('seeding the years', () => {
  it('an office-changed 2018 that adds a unit: the unit, 2018’s months and ledger row are seeded, idempotently', async () => {
    const base = loadRulebook('hz-2017');
    const office2018 = {
      ...base.data,
      year: 2018,
      units: [...base.data.units, { name: '市新设局', group: 'with_matters', aliases: [] }],
    };
    const years = rulebookYears(base, new Map([[2018, office2018]]));
    const first = await seedRulebook(db.prisma, 'hz-2017', years);
    expect(first).toMatchObject({ years: [2017, 2018], units: { created: 60, total: 60 }, months: { created: 24 } });
    expect(await db.prisma.unit.findFirst({ where: { name: '市新设局' }, select: { group: true } })).toEqual({
      group: 'with_matters',
    });
    expect((await db.prisma.ledgerVersion.findMany({ orderBy: { year: 'asc' } })).map((l) => l.year)).toEqual([
      2017, 2018,
    ]);
    const again = await seedRulebook(db.prisma, 'hz-2017', years);
    expect(again).toMatchObject({ units: { created: 0, unchanged: 59 }, months: { created: 0 }, orphanUnits: [] });
    expect(await db.prisma.unit.count()).toBe(60);
  });
});
