import { readFileSync } from 'node:fs';
import type { Assessment } from '../../core/assessment.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { scenarioFindingSchema, scenarioSchema } from '../../rules/scenario.ts';
import { officeHours, type ConsoleClock } from './clock.ts';
import type { ConsoleDirectory } from './identities.ts';

// The bundled demo year (rules/examples/hz-2017-demo.scenario.json) replayed through the core:
// each finding filed by the console inspector on its own day, each rectification submitted by
// the unit's contact on its day and verified — so the ledger, deadlines and audit log are real.
// Keys are stable ("demo:<rulebook>:<id>"), so a second run adds nothing; findings dated after
// today are left out (they have not happened yet).

export interface DemoOutcome {
  total: number;
  created: number;
  /** Dated after today, or refused (e.g. a closed month). */
  skipped: number;
  rectified: number;
}

/** The demo's findings in date order, and the idempotency key each is filed with. */
export function readDemo(file: string): {
  rulebook: string;
  findings: Array<ReturnType<typeof scenarioFindingSchema.parse> & { key: string }>;
} {
  const scenario = scenarioSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const findings = scenario.findings
    .map((raw) => scenarioFindingSchema.parse(raw))
    .map((f) => ({ ...f, key: `demo:${scenario.rulebook}:${f.id}` }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { rulebook: scenario.rulebook, findings };
}

/** Findings of the demo that are due by `today` (the rest have not happened yet). */
export function demoDue(file: string, today: string): string[] {
  return readDemo(file)
    .findings.filter((f) => f.date <= today && !f.withdrawn)
    .map((f) => f.key);
}

export async function loadDemoFindings(
  assessment: Pick<Assessment, 'rulebookId' | 'today' | 'findings' | 'rectification'>,
  clock: ConsoleClock,
  directory: ConsoleDirectory,
  file: string,
  locale: Locale,
): Promise<DemoOutcome> {
  const scenario = readDemo(file);
  if (scenario.rulebook !== assessment.rulebookId)
    throw new Error(`${file} is for rulebook ${scenario.rulebook}, the console runs ${assessment.rulebookId}`);
  const findings = scenario.findings;
  const today = assessment.today();
  const inspector = await directory.ensureInspector();
  const out: DemoOutcome = { total: findings.length, created: 0, skipped: 0, rectified: 0 };
  try {
    for (const f of findings) {
      if (f.date > today || f.withdrawn) {
        out.skipped++;
        continue;
      }
      clock.pin(officeHours(f.date));
      const filed = await assessment.findings.file(inspector, {
        unit: f.unit,
        clause: f.clause,
        date: f.date,
        ...(f.count != null ? { count: f.count } : {}),
        ...(f.value != null ? { value: f.value } : {}),
        ...(f.level != null ? { level: f.level } : {}),
        ...(f.source != null ? { source: f.source } : {}),
        ...(f.deadline != null ? { deadline: f.deadline } : {}),
        idempotencyKey: f.key,
        channel: 'console',
      });
      if (!filed.ok) {
        out.skipped++;
        continue;
      }
      if (filed.value.created) out.created++;
      const view = filed.value.finding;
      if (f.rectifiedOn && f.rectifiedOn <= today && view.status === 'filed' && view.deadline !== null) {
        const contact = await directory.ensureContact(view.unit);
        clock.pin(officeHours(f.rectifiedOn));
        const submitted = await assessment.rectification.submit(contact, {
          findingId: view.id,
          evidenceText: t(locale, 'bot.console.demoEvidence'),
          idempotencyKey: `${f.key}:rectification`,
        });
        if (submitted.ok && (await assessment.rectification.verify(inspector, { findingId: view.id })).ok)
          out.rectified++;
      }
    }
  } finally {
    clock.unpin();
  }
  return out;
}
