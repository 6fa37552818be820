// A rulebook's reference data in the store of record — units, aliases, and the ledger version and
// twelve months of each assessment year it holds — idempotently. Shared by `npm run db:seed` (prisma/seed.ts) and the
// chat console, which seeds its own demo database.
import { loadRulebook, type Rulebook } from '../../rules/rulebook.ts';
import { loadRulebookYears } from '../../rules/rulebook-years.ts';
import type { PrismaClient } from '../client.ts';

export interface SeedSummary {
  rulebookId: string;
  year: number;
  /** Every assessment year seeded: the rulebook's and the following ones it has (rules/rulebook-years.ts). */
  years: number[];
  units: { created: number; updated: number; unchanged: number; total: number };
  aliases: { created: number; updated: number; removed: number; total: number };
  /** units in the database that the rulebook no longer lists (kept: findings may point at them) */
  orphanUnits: string[];
  months: { created: number; total: number };
  ledgerVersionCreated: boolean;
}

/** 'YYYY-01' … 'YYYY-12' */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

/**
 * Upsert the units, aliases, ledger version and months of one rulebook, in one transaction.
 * Safe to run any number of times, and concurrently with itself.
 */
export async function seedRulebook(
  prisma: PrismaClient,
  rulebookId: string,
  /** The assessment years (rules/rulebook-years.ts); default: as loaded from rules/rulebooks. */
  yearRulebooks: readonly Rulebook[] = loadRulebookYears(rulebookId),
): Promise<SeedSummary> {
  const rb = loadRulebook(rulebookId);
  const year = rb.data.year;
  const years = yearRulebooks.map((r) => r.data.year);
  return prisma.$transaction(
    async (tx) => {
      // Serialise concurrent seeds of the same rulebook (e.g. two processes starting at once).
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`kaoping-seed:${rulebookId}`}))`;

      const summary: SeedSummary = {
        rulebookId,
        year,
        years,
        units: { created: 0, updated: 0, unchanged: 0, total: rb.data.units.length },
        aliases: { created: 0, updated: 0, removed: 0, total: 0 },
        orphanUnits: [],
        months: { created: 0, total: 12 * years.length },
        ledgerVersionCreated: false,
      };

      const existingUnits = new Map(
        (await tx.unit.findMany({ where: { rulebookId } })).map((u) => [u.name, u] as const),
      );
      const missingUnits = rb.data.units.filter((u) => !existingUnits.has(u.name));
      if (missingUnits.length) {
        const created = await tx.unit.createMany({
          data: missingUnits.map((u) => ({ rulebookId, name: u.name, group: u.group })),
          skipDuplicates: true,
        });
        summary.units.created = created.count;
      }
      for (const u of rb.data.units) {
        const have = existingUnits.get(u.name);
        if (!have) continue;
        if (have.group !== u.group) {
          await tx.unit.update({ where: { id: have.id }, data: { group: u.group } });
          summary.units.updated++;
        } else {
          summary.units.unchanged++;
        }
      }
      const unitIds = new Map(
        (missingUnits.length ? await tx.unit.findMany({ where: { rulebookId } }) : [...existingUnits.values()]).map(
          (u) => [u.name, u.id] as const,
        ),
      );
      // Units a later year's rulebook adds (the office changed that year): created with that
      // year's group. The years share the unit rows; a unit keeps the group its first year gave it.
      const added = new Map<string, string>();
      for (const later of yearRulebooks.slice(1))
        for (const u of later.data.units) if (!unitIds.has(u.name) && !added.has(u.name)) added.set(u.name, u.group);
      if (added.size) {
        const created = await tx.unit.createMany({
          data: [...added].map(([name, group]) => ({ rulebookId, name, group })),
          skipDuplicates: true,
        });
        summary.units.created += created.count;
        summary.units.total += added.size;
      }
      const listed = new Set(yearRulebooks.flatMap((r) => r.data.units.map((u) => u.name)));
      summary.orphanUnits = [...existingUnits.keys()].filter((n) => !listed.has(n)).sort();

      const wanted = new Map<string, number>();
      for (const u of rb.data.units) for (const a of u.aliases) wanted.set(a, unitIds.get(u.name)!);
      summary.aliases.total = wanted.size;
      const existingAliases = await tx.unitAlias.findMany({ where: { rulebookId } });
      const stale = existingAliases.filter((a) => !wanted.has(a.alias)).map((a) => a.id);
      if (stale.length) {
        await tx.unitAlias.deleteMany({ where: { id: { in: stale } } });
        summary.aliases.removed = stale.length;
      }
      const haveAlias = new Map(existingAliases.map((a) => [a.alias, a] as const));
      const newAliases: { rulebookId: string; alias: string; unitId: number }[] = [];
      for (const [alias, unitId] of wanted) {
        const have = haveAlias.get(alias);
        if (!have) {
          newAliases.push({ rulebookId, alias, unitId });
        } else if (have.unitId !== unitId) {
          await tx.unitAlias.update({ where: { id: have.id }, data: { unitId } });
          summary.aliases.updated++;
        }
      }
      if (newAliases.length) {
        summary.aliases.created = (await tx.unitAlias.createMany({ data: newAliases, skipDuplicates: true })).count;
      }

      // Every assessment year the deployment holds (the next one with its own calendar, too).
      const ledger = await tx.ledgerVersion.createMany({
        data: years.map((y) => ({ rulebookId, year: y })),
        skipDuplicates: true,
      });
      summary.ledgerVersionCreated = ledger.count > 0;

      const months = await tx.assessmentMonth.createMany({
        data: years.flatMap(monthsOf).map((month) => ({ rulebookId, month, state: 'open' as const })),
        skipDuplicates: true,
      });
      summary.months.created = months.count;
      return summary;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
