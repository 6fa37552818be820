// npm run db:seed — load a rulebook's reference data into the store of record.
//
// For each rulebook: its assessed units (name, group) and their aliases, the LedgerVersion row
// of its assessment year and the twelve AssessmentMonth rows of that year (open). Idempotent: a
// second run leaves the same rows; it never reopens a closed month or resets a ledger version.
// Organisers (市跑改办, 市考评办) are not assessed units and get no unit rows.
//
// Optional: KAOPING_BOOTSTRAP_ORGANISER="platform:externalId" (e.g. slack:U123) makes that
// messenger user an active organiser, so someone can administer the bot from day one.
//
// Usage: npx tsx prisma/seed.ts [rulebookId …]   (default: every rulebook in rules/rulebooks)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableRulebooks, loadRulebook } from '../rules/rulebook.ts';
import { createPrismaClient, type PrismaClient } from './client.ts';
import { settingsOrExit } from '../adapters/config/load-settings.ts';
import { seedBootstrapOrganiser } from './repositories/bootstrap-organiser.ts';

export { parseBootstrapOrganiser, seedBootstrapOrganiser } from './repositories/bootstrap-organiser.ts';

export interface SeedSummary {
  rulebookId: string;
  year: number;
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
export async function seedRulebook(prisma: PrismaClient, rulebookId: string): Promise<SeedSummary> {
  const rb = loadRulebook(rulebookId);
  const year = rb.data.year;
  return prisma.$transaction(
    async (tx) => {
      // Serialise concurrent seeds of the same rulebook (e.g. two processes starting at once).
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`kaoping-seed:${rulebookId}`}))`;

      const summary: SeedSummary = {
        rulebookId,
        year,
        units: { created: 0, updated: 0, unchanged: 0, total: rb.data.units.length },
        aliases: { created: 0, updated: 0, removed: 0, total: 0 },
        orphanUnits: [],
        months: { created: 0, total: 12 },
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
      const listed = new Set(rb.data.units.map((u) => u.name));
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

      const ledger = await tx.ledgerVersion.createMany({ data: [{ rulebookId, year }], skipDuplicates: true });
      summary.ledgerVersionCreated = ledger.count > 0;

      const months = await tx.assessmentMonth.createMany({
        data: monthsOf(year).map((month) => ({ rulebookId, month, state: 'open' as const })),
        skipDuplicates: true,
      });
      summary.months.created = months.count;
      return summary;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/** Parse "platform:externalId" (the external id may itself contain ':'). */
function formatSummary(s: SeedSummary): string {
  const u = s.units;
  const a = s.aliases;
  const lines = [
    `${s.rulebookId} (${s.year}): ${u.total} units (${u.created} created, ${u.updated} updated, ${u.unchanged} unchanged), ` +
      `${a.total} aliases (${a.created} created, ${a.updated} re-pointed, ${a.removed} removed), ` +
      `${s.months.total} months (${s.months.created} created), ledger version ${s.ledgerVersionCreated ? 'created' : 'present'}`,
  ];
  if (s.orphanUnits.length)
    lines.push(`  note: units no longer in the rulebook were kept: ${s.orphanUnits.join(', ')}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const ids = argv.length ? argv : availableRulebooks();
  const settings = settingsOrExit('db:seed');
  const prisma = createPrismaClient(settings.database.url);
  try {
    for (const id of ids) console.log(formatSummary(await seedRulebook(prisma, id)));
    const bootstrap = settings.seed.bootstrapOrganiser;
    if (bootstrap) {
      const { member, created } = await seedBootstrapOrganiser(prisma, bootstrap);
      console.log(`bootstrap organiser ${bootstrap.trim()} ${created ? 'created' : 'ensured'} (member #${member.id})`);
    }
  } finally {
    await prisma.$disconnect();
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error('seed failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
