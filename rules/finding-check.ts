import type { Clause, Rulebook } from './rulebook.ts';
import { CalendarMissingError } from './calendar.ts';
import { clauseInputs } from './clause-kinds.ts';
import { parseIsoDate, yearOf } from './dates.ts';

/**
 * Domain checks of one finding against a rulebook, shared by the `score` command and by filing in
 * chat. Each issue names the field and carries a stable code; core turns codes into user messages.
 */
export interface FindingIssue {
  code: string; // e.g. 'UNKNOWN_CLAUSE' — core prefixes 'FINDING.'
  field: string;
  message: string; // internal English
  params: Record<string, string | number>;
}

export interface FindingFields {
  unit: string;
  clause: string;
  date: string;
  count?: number | null | undefined;
  value?: number | null | undefined;
  level?: string | null | undefined;
  source?: string | null | undefined;
  deadline?: string | null | undefined;
  rectifiedOn?: string | null | undefined;
}

export interface CheckedFinding {
  unit: string; // canonical
  group: string;
  clause: Clause;
  section: string;
  date: string;
  count: number;
  value: number | null;
  level: string | null;
  source: string;
  /** Resolved: explicit, or the rulebook default; null when the clause needs no rectification. */
  deadline: string | null;
  deadlineIsDefault: boolean;
  rectifiedOn: string | null;
}

export type CheckResult = { ok: true; finding: CheckedFinding } | { ok: false; issues: FindingIssue[] };

const issue = (
  code: string,
  field: string,
  message: string,
  params: Record<string, string | number> = {},
): FindingIssue => ({
  code,
  field,
  message,
  params: { field, ...params },
});

export function checkFinding(rb: Rulebook, f: FindingFields, opts: { year: number }): CheckResult {
  const issues: FindingIssue[] = [];
  const s = rb.settings;

  let unit: string | undefined;
  const organiser = rb.resolveOrganiser(f.unit);
  if (organiser)
    issues.push(
      issue('ORGANISER_NOT_ASSESSED', 'unit', `${f.unit} is an organiser and is not assessed`, { value: f.unit }),
    );
  else {
    unit = rb.resolveUnit(f.unit);
    if (!unit) issues.push(issue('UNKNOWN_UNIT', 'unit', `unknown unit ${JSON.stringify(f.unit)}`, { value: f.unit }));
  }
  const clause = rb.clauses.get(f.clause.trim());
  if (!clause)
    issues.push(issue('UNKNOWN_CLAUSE', 'clause', `unknown clause ${JSON.stringify(f.clause)}`, { value: f.clause }));

  // A date outside the year is refused on its own; no deadline is derived from it.
  let dateOk = parseIsoDate(f.date) !== null;
  if (!dateOk)
    issues.push(
      issue('BAD_DATE', 'date', `date ${JSON.stringify(f.date)} is not a YYYY-MM-DD calendar date`, { value: f.date }),
    );
  else if (yearOf(f.date) !== opts.year) {
    issues.push(
      issue('DATE_OUTSIDE_YEAR', 'date', `date ${f.date} is outside the assessment year ${opts.year}`, {
        value: f.date,
        year: opts.year,
      }),
    );
    dateOk = false;
  }

  const group = unit ? rb.units.get(unit)!.group : undefined;
  if (unit && clause && group) {
    const section = rb.sections.get(clause.section)!;
    if (s.applicabilityRefusal && !section.appliesTo.includes(group)) {
      issues.push(
        issue(
          'NOT_APPLICABLE',
          'clause',
          `section ${section.id} of clause ${clause.id} does not apply to ${unit} (${group})`,
          { clause: clause.id, section: section.id, unit, group },
        ),
      );
    }
  }

  let count = 1;
  let value: number | null = null;
  let level: string | null = null;
  if (clause) {
    const rawCount = f.count ?? 1;
    const inputs = clauseInputs(clause);
    const countsItems = inputs.count;
    if (!Number.isInteger(rawCount) || rawCount < s.count.min || rawCount > s.count.max) {
      issues.push(
        issue(
          'COUNT_OUT_OF_RANGE',
          'count',
          `count ${rawCount} must be an integer from ${s.count.min} to ${s.count.max}`,
          { value: rawCount, min: s.count.min, max: s.count.max },
        ),
      );
    } else if (!countsItems && rawCount !== 1) {
      issues.push(
        issue('COUNT_NOT_ALLOWED', 'count', `clause ${clause.id} is ${clause.kind}; count must be 1, got ${rawCount}`, {
          clause: clause.id,
          value: rawCount,
        }),
      );
    } else count = rawCount;

    if (inputs.value) {
      if (f.value === undefined || f.value === null)
        issues.push(
          issue('VALUE_REQUIRED', 'value', `clause ${clause.id} needs value (a measured percentage)`, {
            clause: clause.id,
          }),
        );
      else if (!Number.isFinite(f.value) || f.value < s.valueRange.min || f.value > s.valueRange.max) {
        issues.push(
          issue('VALUE_OUT_OF_RANGE', 'value', `value ${f.value} is outside ${s.valueRange.min}–${s.valueRange.max}`, {
            value: f.value,
            min: s.valueRange.min,
            max: s.valueRange.max,
          }),
        );
      } else value = f.value;
    } else if (f.value !== undefined && f.value !== null) {
      issues.push(
        issue('VALUE_NOT_ALLOWED', 'value', `clause ${clause.id} is ${clause.kind} and takes no value`, {
          clause: clause.id,
        }),
      );
    }

    const levels = inputs.levels;
    if (levels) {
      const allowed = levels.map((l) => l.id).join(', ');
      if (f.level === undefined || f.level === null || f.level === '')
        issues.push(
          issue('LEVEL_REQUIRED', 'level', `clause ${clause.id} needs level (${allowed})`, {
            clause: clause.id,
            allowed,
          }),
        );
      else if (!levels.some((l) => l.id === f.level))
        issues.push(
          issue('UNKNOWN_LEVEL', 'level', `clause ${clause.id} has no level ${JSON.stringify(f.level)} (${allowed})`, {
            clause: clause.id,
            value: f.level,
            allowed,
          }),
        );
      else level = f.level;
    } else if (f.level !== undefined && f.level !== null && f.level !== '') {
      issues.push(
        issue('LEVEL_NOT_ALLOWED', 'level', `clause ${clause.id} is ${clause.kind} and takes no level`, {
          clause: clause.id,
        }),
      );
    }
  }

  const source = f.source ?? s.defaultSource;
  if (!s.sources.includes(source))
    issues.push(
      issue('UNKNOWN_SOURCE', 'source', `unknown source ${JSON.stringify(source)} (${s.sources.join(', ')})`, {
        value: source,
        allowed: s.sources.join(', '),
      }),
    );

  let deadline: string | null = null;
  let deadlineIsDefault = false;
  let rectifiedOn: string | null = null;
  const rectifiable = clause ? rb.isRectifiable(clause) : false;
  for (const field of ['deadline', 'rectifiedOn'] as const) {
    const v = f[field];
    if (v !== undefined && v !== null && parseIsoDate(v) === null)
      issues.push(
        issue('BAD_DATE', field, `${field} ${JSON.stringify(v)} is not a YYYY-MM-DD calendar date`, { value: v }),
      );
  }
  if (dateOk && rectifiable) {
    if (f.deadline !== undefined && f.deadline !== null) {
      if (parseIsoDate(f.deadline) !== null) {
        if (f.deadline < f.date)
          issues.push(
            issue('DEADLINE_BEFORE_DATE', 'deadline', `deadline ${f.deadline} is before the finding date ${f.date}`, {
              value: f.deadline,
              date: f.date,
            }),
          );
        else deadline = f.deadline;
      }
    } else {
      try {
        deadline = rb.calendar.addWorkingDays(f.date, s.rectification.defaultDeadlineWorkingDays);
        deadlineIsDefault = true;
      } catch (e) {
        if (!(e instanceof CalendarMissingError)) throw e;
        issues.push(
          issue(
            'DEADLINE_NO_CALENDAR',
            'deadline',
            `the default deadline would need the official calendar of ${e.year}, which the rulebook does not have`,
            { year: e.year },
          ),
        );
      }
    }
    const r = f.rectifiedOn;
    if (r !== undefined && r !== null && parseIsoDate(r) !== null) {
      if (r < f.date)
        issues.push(
          issue('RECTIFIED_BEFORE_DATE', 'rectifiedOn', `rectifiedOn ${r} is before the finding date ${f.date}`, {
            value: r,
            date: f.date,
          }),
        );
      else rectifiedOn = r;
    }
  }

  if (issues.length || !unit || !clause || !group) return { ok: false, issues };
  return {
    ok: true,
    finding: {
      unit,
      group,
      clause,
      section: clause.section,
      date: f.date,
      count,
      value,
      level,
      source,
      deadline,
      deadlineIsDefault,
      rectifiedOn,
    },
  };
}
