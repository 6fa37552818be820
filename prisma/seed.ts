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
import { availableRulebooks } from '../rules/rulebook.ts';
import { createPrismaClient } from './client.ts';
import { seedRulebook, type SeedSummary } from './repositories/rulebook-seed.ts';
import { settingsOrExit } from '../adapters/config/load-settings.ts';
import { seedBootstrapOrganiser } from './repositories/bootstrap-organiser.ts';

export { parseBootstrapOrganiser, seedBootstrapOrganiser } from './repositories/bootstrap-organiser.ts';

export { monthsOf, seedRulebook, type SeedSummary } from './repositories/rulebook-seed.ts';

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
