import { readFileSync } from 'node:fs';
import type { FileBatchCommand } from '../../core/assessment-api.ts';
import type { Assessment } from '../../core/assessment.ts';
import { InvalidRowsError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { scenarioFindingSchema, scenarioSchema } from '../../rules/scenario.ts';
import { officeHours, type ConsoleClock } from './clock.ts';
import type { ConsoleDirectory } from './identities.ts';

// The bundled demo year (rules/examples/hz-2017-demo.scenario.json) replayed through the core:
// the findings imported by the console organiser in one batch (bulk intake), each rectification
// submitted by the unit's contact on its day and verified — so the ledger, deadlines and audit log
// are real.
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
  let due = findings.filter((f) => f.date <= today && !f.withdrawn);
  const out: DemoOutcome = { total: findings.length, created: 0, skipped: findings.length - due.length, rectified: 0 };
  // The year comes in as one import by the console organiser (bulk intake: one transaction, one
  // recompute). Rows the office refuses meanwhile (a month it closed) are left out and counted.
  const organiser = await directory.organiser();
  const fileDue = () =>
    assessment.findings.fileBatch(organiser, { channel: 'console', label: 'demo', rows: due.map(demoRow) });
  let filed = await fileDue();
  if (!filed.ok && filed.error instanceof InvalidRowsError) {
    const refused = new Set(filed.error.rows.map((r) => r.index));
    due = due.filter((_, i) => !refused.has(i));
    out.skipped += refused.size;
    if (!due.length) return out;
    filed = await fileDue();
  }
  if (!filed.ok) throw filed.error;
  out.created = filed.value.created;

  // Rectifications one by one, each on its own day: submitted by the unit's contact, verified by
  // the inspector. A finding already rectified (an earlier run) is refused as such and not counted.
  const inspector = await directory.ensureInspector();
  try {
    for (const [i, f] of due.entries()) {
      if (!f.rectifiedOn || f.rectifiedOn > today) continue;
      const findingId = filed.value.rows[i]!.id;
      const contact = await directory.ensureContact(f.unit);
      clock.pin(officeHours(f.rectifiedOn));
      const submitted = await assessment.rectification.submit(contact, {
        findingId,
        evidenceText: t(locale, 'bot.console.demoEvidence'),
        idempotencyKey: `${f.key}:rectification`,
      });
      if (submitted.ok && (await assessment.rectification.verify(inspector, { findingId })).ok) out.rectified++;
    }
  } finally {
    clock.unpin();
  }
  return out;
}

/** A demo finding as a row of the import. */
function demoRow(f: ReturnType<typeof readDemo>['findings'][number]): FileBatchCommand['rows'][number] {
  return {
    unit: f.unit,
    clause: f.clause,
    date: f.date,
    ...(f.count != null ? { count: f.count } : {}),
    ...(f.value != null ? { value: f.value } : {}),
    ...(f.level != null ? { level: f.level } : {}),
    ...(f.source != null ? { source: f.source } : {}),
    ...(f.deadline != null ? { deadline: f.deadline } : {}),
    idempotencyKey: f.key,
  };
}
